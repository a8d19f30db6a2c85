import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from "react";
import { plural } from "../../../common/plural";
import { type SiteKind, siteKindLabels, siteKinds } from "../../../common/roles";
import { detailsLabels, siteLabels } from "../../../common/structures/structures.labels";
import { structuresRoutes } from "../../../common/structures/structures.routes";
import {
  type StructureOverview,
  siteBodySchema,
  structureDetailsBodySchema,
} from "../../../common/structures/structures.schema";
import { call } from "../../api/client";
import { useSession } from "../../api/session";
import { useMutation } from "../../api/useMutation";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useFormErrors } from "../../components/form/useFormErrors";
import { usePageTitle } from "../../components/pageTitle";
import { SuccessNotice } from "../../components/SuccessNotice";
import { useStepFocus } from "../../components/useStepFocus";

type Site = StructureOverview["sites"][number];

/** Kinds of a detention site: chosen when the site is added, never changed afterwards (server rule). */
const detentionKinds: readonly SiteKind[] = ["prison", "sas"];

function DetailsForm({
  structure,
  onDone,
}: {
  structure: StructureOverview;
  onDone: (message: string) => void;
}): ReactNode {
  const queryClient = useQueryClient();
  const [name, setName] = useState(structure.name);
  const [labelNumber, setLabelNumber] = useState(structure.labelNumber);
  const [departement, setDepartement] = useState(structure.departement);
  const [coHolders, setCoHolders] = useState(structure.coHolders.join("\n"));
  const [minLeadHours, setMinLeadHours] = useState(String(structure.minLeadHours));
  const errors = useFormErrors("structure-details", detailsLabels, { "structure.labelTaken": "labelNumber" });
  const body = () => ({
    name,
    labelNumber,
    departement: departement.trim().toUpperCase(),
    coHolders: coHolders
      .split("\n")
      .map((line) => line.trim())
      .filter(Boolean),
    minLeadHours: minLeadHours.trim() === "" ? Number.NaN : Number(minLeadHours),
  });
  const save = useMutation({
    mutationFn: () =>
      call(structuresRoutes.updateDetails, { params: { structureId: structure.id }, body: body() }),
    onSuccess: async () => {
      // The header shows the structure's name from the session: read again.
      await queryClient.invalidateQueries({ queryKey: ["structure", structure.id] });
      await queryClient.invalidateQueries({ queryKey: ["session"] });
      onDone("Les informations de la structure sont enregistrées.");
    },
    onError: errors.showApiError,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (errors.check(structureDetailsBodySchema, body())) save.mutate();
  };
  return (
    <form onSubmit={submit} aria-label="Modifier la structure" noValidate data-editor>
      {errors.summary}
      <Input
        label={detailsLabels.name}
        {...errors.state("name")}
        nativeInputProps={{ ...errors.native("name"), value: name, onChange: (e) => setName(e.target.value) }}
      />
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-md-4">
          <Input
            label={detailsLabels.labelNumber}
            hintText="Unique : FS-77-035…"
            {...errors.state("labelNumber")}
            nativeInputProps={{
              ...errors.native("labelNumber"),
              value: labelNumber,
              onChange: (e) => setLabelNumber(e.target.value),
            }}
          />
        </div>
        <div className="fr-col-12 fr-col-md-4">
          <Input
            label={detailsLabels.departement}
            hintText="Numéro : 77, 2A, 971…"
            {...errors.state("departement")}
            nativeInputProps={{
              ...errors.native("departement"),
              value: departement,
              onChange: (e) => setDepartement(e.target.value),
            }}
          />
        </div>
        <div className="fr-col-12 fr-col-md-4">
          <Input
            label={detailsLabels.minLeadHours}
            hintText="Aucun créneau ne peut être réservé plus tôt."
            {...errors.state("minLeadHours")}
            nativeInputProps={{
              ...errors.native("minLeadHours"),
              inputMode: "numeric",
              value: minLeadHours,
              onChange: (e) => setMinLeadHours(e.target.value),
            }}
          />
        </div>
      </div>
      <Input
        label={detailsLabels.coHolders}
        hintText="Un par ligne (le SPIP, l'association…)."
        textArea
        {...errors.state("coHolders")}
        nativeTextAreaProps={{
          ...errors.native("coHolders"),
          rows: 3,
          value: coHolders,
          onChange: (e) => setCoHolders(e.target.value),
        }}
      />
      <Button type="submit" disabled={save.isPending} className="fr-mr-2w">
        Enregistrer la structure
      </Button>
      <Button type="button" priority="tertiary" onClick={() => onDone("")}>
        Annuler
      </Button>
    </form>
  );
}

function SiteForm({
  structureId,
  site,
  onDone,
}: {
  structureId: string;
  /** Null: a new site. */
  site: Site | null;
  onDone: (message: string) => void;
}): ReactNode {
  const queryClient = useQueryClient();
  const [name, setName] = useState(site?.name ?? "");
  const [kind, setKind] = useState<string>(site?.kind ?? "");
  const [address, setAddress] = useState(site?.address ?? "");
  const [accessInstructions, setAccessInstructions] = useState(site?.accessInstructions ?? "");
  const [phone, setPhone] = useState(site?.phone ?? "");
  const [capacity, setCapacity] = useState(site?.capacity?.toString() ?? "");
  const idPrefix = site ? `site-${site.id}` : "new-site";
  const errors = useFormErrors(idPrefix, siteLabels, {
    "structure.siteNameTaken": "name",
    "structure.siteKindLocked": "kind",
  });
  const kindLocked = site !== null && detentionKinds.includes(site.kind);
  const kindsOffered = site && !kindLocked ? siteKinds.filter((k) => !detentionKinds.includes(k)) : siteKinds;
  const body = () => ({
    name,
    kind,
    address,
    accessInstructions,
    phone,
    capacity: kind === "sas" && capacity.trim() !== "" ? Number(capacity) : null,
  });
  const save = useMutation({
    mutationFn: async () => {
      const values = siteBodySchema.parse(body());
      if (site)
        await call(structuresRoutes.updateSite, { params: { structureId, siteId: site.id }, body: values });
      else await call(structuresRoutes.addSite, { params: { structureId }, body: values });
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ["structure", structureId] });
      onDone(site ? `Le lieu « ${name.trim()} » est enregistré.` : `Le lieu « ${name.trim()} » est ajouté.`);
    },
    onError: errors.showApiError,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (errors.check(siteBodySchema, body())) save.mutate();
  };
  return (
    <form
      onSubmit={submit}
      aria-label={site ? `Modifier le lieu ${site.name}` : "Ajouter un lieu"}
      className="fr-mb-3w"
      noValidate
      data-editor
    >
      {errors.summary}
      <Input
        label={siteLabels.name}
        {...errors.state("name")}
        nativeInputProps={{ ...errors.native("name"), value: name, onChange: (e) => setName(e.target.value) }}
      />
      <Select
        label={siteLabels.kind}
        hint={
          kindLocked
            ? "Le type d'un établissement pénitentiaire ou d'une SAS ne se change pas."
            : site
              ? "Un lieu existant ne peut pas devenir un établissement pénitentiaire ni une SAS : ajoutez un nouveau lieu."
              : undefined
        }
        disabled={kindLocked}
        {...errors.state("kind")}
        nativeSelectProps={{
          ...errors.native("kind"),
          value: kind,
          onChange: (e) => setKind(e.target.value),
        }}
      >
        <option value="" disabled>
          Choisissez un type
        </option>
        {(kindLocked && site ? [site.kind] : kindsOffered).map((k) => (
          <option key={k} value={k}>
            {siteKindLabels[k]}
          </option>
        ))}
      </Select>
      <Input
        label={siteLabels.address}
        {...errors.state("address")}
        nativeInputProps={{
          ...errors.native("address"),
          autoComplete: "off",
          value: address,
          onChange: (e) => setAddress(e.target.value),
        }}
      />
      <Input
        label={siteLabels.accessInstructions}
        hintText="Facultatif : étage, entrée, pièce d'identité demandée… Elles figurent sur la lettre de convocation."
        textArea
        {...errors.state("accessInstructions")}
        nativeTextAreaProps={{
          ...errors.native("accessInstructions"),
          rows: 2,
          value: accessInstructions,
          onChange: (e) => setAccessInstructions(e.target.value),
        }}
      />
      <Input
        label={siteLabels.phone}
        hintText="Facultatif."
        {...errors.state("phone")}
        nativeInputProps={{
          ...errors.native("phone"),
          type: "tel",
          value: phone,
          onChange: (e) => setPhone(e.target.value),
        }}
      />
      {kind === "sas" && (
        <Input
          label={siteLabels.capacity}
          hintText="Facultatif."
          {...errors.state("capacity")}
          nativeInputProps={{
            ...errors.native("capacity"),
            inputMode: "numeric",
            value: capacity,
            onChange: (e) => setCapacity(e.target.value),
          }}
        />
      )}
      <Button type="submit" disabled={save.isPending} className="fr-mr-2w">
        {site ? "Enregistrer le lieu" : "Ajouter le lieu"}
      </Button>
      <Button type="button" priority="tertiary" onClick={() => onDone("")}>
        Annuler
      </Button>
    </form>
  );
}

function ArchiveSite({
  structureId,
  site,
  onDone,
}: {
  structureId: string;
  site: Site;
  onDone: (message: string) => void;
}): ReactNode {
  const queryClient = useQueryClient();
  // Échap leaves the question as "Annuler" does (the page moves the focus, back to "Archiver").
  const step = useStepFocus("archive", () => onDone(""));
  const archive = useMutation({
    mutationFn: () => call(structuresRoutes.archiveSite, { params: { structureId, siteId: site.id } }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ["structure", structureId] });
      onDone(`Le lieu « ${site.name} » est archivé : il n'est plus proposé.`);
    },
  });
  return (
    <div role="alert" className="fr-mb-3w" data-editor ref={step.box}>
      <p className="fr-mb-1w">
        Archiver « {site.name} » ? Il ne sera plus proposé pour les permanences ni les convocations ; son
        historique reste consultable. Ce n'est possible que sans permanence ni convocation à venir.
      </p>
      <ErrorAlert error={archive.error} title="Archivage impossible" />
      {!archive.isError && (
        <Button onClick={() => archive.mutate()} disabled={archive.isPending} className="fr-mr-2w fr-mt-1w">
          Confirmer l'archivage
        </Button>
      )}
      <Button priority="tertiary" onClick={() => onDone("")} className="fr-mt-1w">
        {archive.isError ? "Fermer" : "Annuler"}
      </Button>
    </div>
  );
}

type Editing = null | "details" | "newSite" | { site: string; action: "edit" | "archive" };

/**
 * The structure's own details and its sites, created by the setup command (ADR 0037) and kept up to
 * date here by the direction or an administrator of the structure.
 */
export function StructurePage(): ReactNode {
  usePageTitle("Structure et lieux");
  const { structureId } = useSession();
  const [editing, setEditing] = useState<Editing>(null);
  const [notice, setNotice] = useState("");
  const overview = useQuery({
    queryKey: ["structure", structureId],
    queryFn: () => call(structuresRoutes.overview, { params: { structureId: structureId ?? "" } }),
    enabled: Boolean(structureId),
  });
  const done = (message: string) => {
    setEditing(null);
    setNotice(message);
  };
  // The button that opened an editor is replaced by it: the focus goes to the editor's first
  // control, then, once it closes, to the notice of what was saved (SuccessNotice) or, cancelled,
  // back to that button (drawn anew, found by its name). Never left on the page's body.
  const opener = useRef<string | null>(null);
  const start = (next: Editing) => {
    const active = document.activeElement;
    opener.current = active?.getAttribute("aria-label") ?? active?.textContent ?? null;
    setNotice("");
    setEditing(next);
  };
  useEffect(() => {
    if (editing !== null) {
      document
        .querySelector<HTMLElement>(
          "[data-editor] :is(input, select, textarea, button:not([disabled])):not([type=hidden])",
        )
        ?.focus();
      return;
    }
    const name = opener.current;
    opener.current = null;
    if (notice || !name) return;
    const buttons = document.querySelectorAll<HTMLButtonElement>("#contenu button");
    [...buttons].find((b) => (b.getAttribute("aria-label") ?? b.textContent) === name)?.focus();
  }, [editing, notice]);
  const structure = overview.data;
  const isEditing = (siteId: string, action: "edit" | "archive") =>
    typeof editing === "object" && editing !== null && editing.site === siteId && editing.action === action;
  return (
    <>
      <h1>Structure et lieux</h1>
      <ErrorAlert error={overview.error} />
      {notice && <SuccessNotice message={notice} className="fr-mb-3w" />}
      {structure && (
        <>
          <section aria-labelledby="structure-details" className="fr-mb-6w">
            <h2 id="structure-details">La structure</h2>
            {editing === "details" ? (
              <DetailsForm structure={structure} onDone={done} />
            ) : (
              <>
                <dl className="fr-mb-2w">
                  <dt className="fr-text--bold">Nom</dt>
                  <dd className="fr-mb-1w">{structure.name}</dd>
                  <dt className="fr-text--bold">Numéro de label France services</dt>
                  <dd className="fr-mb-1w">{structure.labelNumber}</dd>
                  <dt className="fr-text--bold">Département</dt>
                  <dd className="fr-mb-1w">{structure.departement}</dd>
                  <dt className="fr-text--bold">Co-porteurs</dt>
                  <dd className="fr-mb-1w">{structure.coHolders.join(", ")}</dd>
                  <dt className="fr-text--bold">Délai minimum de réservation</dt>
                  <dd className="fr-mb-1w">
                    {structure.minLeadHours} heure{structure.minLeadHours > 1 ? "s" : ""}
                  </dd>
                </dl>
                <Button priority="secondary" onClick={() => start("details")}>
                  Modifier la structure
                </Button>
              </>
            )}
          </section>
          <section aria-labelledby="structure-sites">
            <h2 id="structure-sites">Lieux</h2>
            {structure.sites.map((s) => (
              <div key={s.id} className="fr-card fr-card--no-arrow fr-p-3w fr-mb-3w">
                <h3 className="fr-h5 fr-mb-1w">{s.name}</h3>
                {isEditing(s.id, "edit") ? (
                  <SiteForm structureId={structure.id} site={s} onDone={done} />
                ) : (
                  <>
                    <p className="fr-mb-1w">
                      {siteKindLabels[s.kind]}
                      {s.capacity !== null ? ` — ${plural(s.capacity, "place", "places")}` : ""}
                    </p>
                    <p className="fr-mb-1w">{s.address}</p>
                    {s.accessInstructions && (
                      <p className="fr-mb-1w fr-text--sm">Accès : {s.accessInstructions}</p>
                    )}
                    {s.phone && <p className="fr-mb-1w fr-text--sm">Téléphone : {s.phone}</p>}
                    {isEditing(s.id, "archive") ? (
                      <ArchiveSite structureId={structure.id} site={s} onDone={done} />
                    ) : (
                      <div className="fr-mt-2w">
                        <Button
                          size="small"
                          priority="secondary"
                          className="fr-mr-2w fr-mb-1w"
                          onClick={() => start({ site: s.id, action: "edit" })}
                          nativeButtonProps={{ "aria-label": `Modifier le lieu ${s.name}` }}
                        >
                          Modifier
                        </Button>
                        <Button
                          size="small"
                          priority="tertiary"
                          className="fr-mb-1w"
                          onClick={() => start({ site: s.id, action: "archive" })}
                          nativeButtonProps={{ "aria-label": `Archiver le lieu ${s.name}` }}
                        >
                          Archiver
                        </Button>
                      </div>
                    )}
                  </>
                )}
              </div>
            ))}
            {editing === "newSite" ? (
              <>
                <h3 className="fr-h5">Nouveau lieu</h3>
                <SiteForm structureId={structure.id} site={null} onDone={done} />
              </>
            ) : (
              <Button iconId="fr-icon-add-line" onClick={() => start("newSite")}>
                Ajouter un lieu
              </Button>
            )}
          </section>
        </>
      )}
    </>
  );
}
