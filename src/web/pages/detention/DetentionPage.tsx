import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useEffect, useState } from "react";
import { Link } from "react-router";
import { isoDate } from "../../../common/dates";
import { detentionRoutes } from "../../../common/detention/detention.routes";
import {
  type AccessAuthorisation,
  isDetentionSiteKind,
  newAccessAuthorisationSchema,
} from "../../../common/detention/detention.schema";
import { atPlace, ofName } from "../../../common/placeName";
import { plural } from "../../../common/plural";
import { structuresRoutes } from "../../../common/structures/structures.routes";
import { call, routeUrl } from "../../api/client";
import { useSession } from "../../api/session";
import { useMutation } from "../../api/useMutation";
import { ConfirmBox } from "../../components/ConfirmBox";
import { formatLongDate, formatShortDate, formatTime, parisDayOf } from "../../components/dates";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useFormErrors } from "../../components/form/useFormErrors";
import { usePageTitle } from "../../components/pageTitle";
import { ScrollableTable } from "../../components/ScrollableTable";
import { SuccessNotice } from "../../components/SuccessNotice";
import { useAddressFilters } from "../../components/useAddressFilters";
import { useDownloads } from "../../components/useDownloads";
import { useStepFocus } from "../../components/useStepFocus";
import { ESTABLISHMENTS_UNAVAILABLE, useSasOccupancy } from "./DetentionFields";
import { ReleasePlanDelaySection } from "./ReleasePlanDelaySection";
import { occupancyText } from "./sasPlaces";

/** The daily movements list of a prison or SAS, printed for the establishment's staff. */
function MovementsSection({ structureId }: { structureId: string }): ReactNode {
  const overview = useQuery({
    queryKey: ["structure", structureId],
    queryFn: () => call(structuresRoutes.overview, { params: { structureId } }),
  });
  const sites = (overview.data?.sites ?? []).filter((s) => isDetentionSiteKind(s.kind));
  // The establishment and the day are in the address: back from a person's file, a reload or a link
  // show the same list. An establishment the structure does not have reads as the first one, a day
  // that is not a real one as today.
  const filters = useAddressFilters();
  const siteIds = sites.map((s) => s.id);
  const chosen = filters.choice("etablissement", siteIds) || siteIds[0] || "";
  const addressDay = filters.date("jour") || parisDayOf();
  // The box keeps what is being typed (a date input says "" until the date is whole); the address
  // takes it once it is a real day. Back or forward: the box says the address's day.
  const [day, setDay] = useState(addressDay);
  useEffect(() => setDay(addressDay), [addressDay]);
  const typeDay = (value: string) => {
    setDay(value);
    if (isoDate.safeParse(value).success && value !== filters.date("jour")) filters.set({ jour: value });
  };
  return (
    <section aria-labelledby="movements-title" className="fr-mb-6w">
      <h2 id="movements-title">Liste des mouvements</h2>
      <p>
        Qui est attendu à la permanence, à quelle heure, où et avec qui : la liste à remettre au personnel de
        l'établissement, qui accompagne les personnes détenues (elles ne reçoivent ni SMS ni courriel).
      </p>
      <ErrorAlert error={overview.error} title={ESTABLISHMENTS_UNAVAILABLE} />
      {overview.data && sites.length === 0 && (
        <p>La structure n'a pas d'établissement pénitentiaire ni de SAS.</p>
      )}
      {sites.length > 0 && (
        <div className="fr-grid-row fr-grid-row--gutters fr-grid-row--bottom">
          <div className="fr-col-12 fr-col-md-7">
            {/* The name alone: "Centre pénitentiaire …" or "SAS …" already says the kind, and fits. */}
            <Select
              label="Établissement"
              nativeSelectProps={{
                value: chosen,
                onChange: (e) => filters.set({ etablissement: e.target.value }),
              }}
            >
              {sites.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </Select>
          </div>
          <div className="fr-col-12 fr-col-sm-6 fr-col-md-3">
            <Input
              label="Jour"
              nativeInputProps={{ type: "date", value: day, onChange: (e) => typeDay(e.target.value) }}
            />
          </div>
        </div>
      )}
      {chosen && isoDate.safeParse(day).success && <MovementsList siteId={chosen} day={day} />}
    </section>
  );
}

/** Who is expected that day (the PDF's lines), then the PDF to hand to the establishment's staff. */
function MovementsList({ siteId, day }: { siteId: string; day: string }): ReactNode {
  const list = useQuery({
    queryKey: ["movements", siteId, day],
    queryFn: () => call(detentionRoutes.movementsList, { params: { siteId }, query: { date: day } }),
  });
  const files = useDownloads();
  const lines = list.data?.lines;
  return (
    <div className="fr-mt-3w">
      <ErrorAlert error={list.error} />
      <p role="status" className="fr-text--bold fr-mb-2w">
        {lines === undefined
          ? list.isPending
            ? "Chargement…"
            : ""
          : lines.length === 0
            ? "Personne n'est attendu ce jour-là."
            : `${plural(lines.length, "personne attendue", "personnes attendues")} le ${formatLongDate(day)}`}
      </p>
      {lines && lines.length > 0 && (
        <>
          <ScrollableTable
            stacked
            caption={`Personnes attendues — ${list.data?.siteName ?? ""}`}
            headers={["Personne", "Heure", "N° d'écrou", "Lieu", "Intervenant(s)", "Statut"]}
            data={lines.map((l) => [
              <Link key="person" to={`/personnes/${l.personId}`}>
                {l.personName}
              </Link>,
              formatTime(l.startsAt),
              l.prisonNumber || "—",
              l.place,
              l.agents || "—",
              l.status,
            ])}
          />
          <a
            className="fr-link fr-icon-download-line fr-link--icon-left"
            href={routeUrl(detentionRoutes.movements, { params: { siteId }, query: { date: day } })}
            download
            onClick={files.onClick("la liste des mouvements", `mouvements-${day}.pdf`)}
          >
            Télécharger la liste des mouvements (PDF)
          </a>
          {files.feedback}
        </>
      )}
    </div>
  );
}

const stateLabels: Record<AccessAuthorisation["state"], ReactNode> = {
  valid: (
    <Badge severity="success" small noIcon>
      Valide
    </Badge>
  ),
  expiring: (
    <Badge severity="warning" small noIcon>
      Expire bientôt
    </Badge>
  ),
  expired: (
    <Badge severity="error" small noIcon>
      Expirée
    </Badge>
  ),
};

const labels = {
  siteId: "Établissement",
  userId: "Agent",
  reference: "Référence",
  validUntil: "Valable jusqu'au",
} as const;

/** The direction records who may enter each prison or SAS, until when. */
function AuthorisationsSection({ structureId }: { structureId: string }): ReactNode {
  const queryClient = useQueryClient();
  const list = useQuery({
    queryKey: ["access-authorisations", structureId],
    queryFn: () => call(detentionRoutes.authorisations, { params: { structureId } }),
  });
  const [form, setForm] = useState({ siteId: "", userId: "", reference: "", validUntil: "" });
  const errors = useFormErrors<keyof typeof labels>("access-authorisation", labels);
  // Once recorded, the form empties and the row joins the table above it (out of sight on a phone):
  // the notice under the form says which one was recorded, and takes the focus.
  const [recorded, setRecorded] = useState<string | null>(null);
  const add = useMutation({
    mutationFn: () => call(detentionRoutes.addAuthorisation, { params: { structureId }, body: form }),
    onSuccess: async () => {
      const agent = list.data?.agents.find((u) => u.id === form.userId)?.displayName ?? "";
      const place = list.data?.sites.find((s) => s.id === form.siteId)?.name ?? "";
      setRecorded(
        `Autorisation ${ofName(agent)} ${atPlace(place)} enregistrée, valable jusqu'au ${formatShortDate(form.validUntil)}.`,
      );
      setForm({ siteId: "", userId: "", reference: "", validUntil: "" });
      await queryClient.invalidateQueries({ queryKey: ["access-authorisations"] });
    },
    onError: (error) => errors.showApiError(error),
  });
  // « Retirer » asks under the table (the focus on the question; « Garder » or Échap give it back to
  // the row's button), then says it is done: the row leaves, the notice takes the focus.
  const [revoking, setRevoking] = useState<AccessAuthorisation | null>(null);
  const [revoked, setRevoked] = useState<string | null>(null);
  const step = useStepFocus(revoking?.id ?? null, revoking ? () => setRevoking(null) : undefined);
  const revoke = useMutation({
    mutationFn: (a: AccessAuthorisation) =>
      call(detentionRoutes.revokeAuthorisation, { params: { structureId, authorisationId: a.id } }),
    onSuccess: async (_result, a) => {
      step.quiet();
      setRevoking(null);
      setRevoked(`Autorisation ${ofName(a.userName)} ${atPlace(a.siteName)} retirée.`);
      await queryClient.invalidateQueries({ queryKey: ["access-authorisations"] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setRecorded(null);
    if (!errors.check(newAccessAuthorisationSchema, form)) return;
    // Saving again for the same agent replaces their date: one typed in the past (2025 for 2027)
    // would take away their access. Allowed (recording an expired one is history), confirmed first.
    if (
      form.validUntil < parisDayOf() &&
      !window.confirm(
        `Le ${formatShortDate(form.validUntil)} est déjà passé : l'autorisation sera enregistrée comme expirée et l'agent ne pourra plus convoquer dans l'établissement ni y tenir de permanence. Enregistrer quand même ?`,
      )
    )
      return;
    add.mutate();
  };
  const field = (key: keyof typeof form, extra: Record<string, unknown> = {}) => ({
    value: form[key],
    onChange: (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value }),
    ...errors.native(key),
    ...extra,
  });
  const data = list.data;
  return (
    <section aria-labelledby="access-title" className="fr-mb-6w">
      <h2 id="access-title">Autorisations d'accès aux établissements</h2>
      <p>
        Seuls les agents qui ont une autorisation valide le jour du rendez-vous peuvent convoquer dans un
        établissement ou y tenir une permanence. Chacun est prévenu{" "}
        {data ? `${data.alertDays} jours` : "un mois"} avant l'expiration (accueil et courriel).
      </p>
      <ErrorAlert error={list.error} />
      {data && data.authorisations.length === 0 && <p>Aucune autorisation enregistrée.</p>}
      {data && data.authorisations.length > 0 && (
        <ScrollableTable
          stacked
          caption="Autorisations d'accès"
          headers={["Établissement", "Agent", "Référence", "Valable jusqu'au", "État", "Action"]}
          data={data.authorisations.map((a) => [
            a.siteName,
            a.userName,
            a.reference,
            formatShortDate(a.validUntil),
            stateLabels[a.state],
            <Button
              key="revoke"
              size="small"
              priority="tertiary"
              disabled={revoke.isPending}
              nativeButtonProps={{
                "aria-label": `Retirer l'autorisation ${ofName(a.userName)} ${atPlace(a.siteName)}`,
              }}
              onClick={step.opens(() => {
                revoke.reset();
                setRevoked(null);
                setRecorded(null);
                setRevoking(a);
              })}
            >
              Retirer
            </Button>,
          ])}
        />
      )}
      {revoking && (
        <ConfirmBox
          boxRef={step.box}
          className="fr-mb-3w"
          title={`Retirer l'autorisation ${ofName(revoking.userName)} ${atPlace(revoking.siteName)} ?`}
          confirmLabel="Confirmer le retrait"
          keepLabel="Garder l'autorisation"
          onConfirm={() => revoke.mutate(revoking)}
          onKeep={() => setRevoking(null)}
          busy={revoke.isPending}
          error={revoke.error}
        >
          <p>
            Cette action est définitive : l'agent ne pourra plus convoquer dans l'établissement ni y tenir de
            permanence sans une nouvelle autorisation.
          </p>
        </ConfirmBox>
      )}
      {revoked && <SuccessNotice message={revoked} />}
      {/* Without a prison nor a SAS, the form could only fail: the page says where to add one. */}
      {data && data.sites.length === 0 && (
        <p>
          La structure n'a pas d'établissement pénitentiaire ni de SAS : ajoutez-en un sur la page{" "}
          <Link to="/structure">Structure et lieux</Link> pour y enregistrer des autorisations.
        </p>
      )}
      {data && data.sites.length > 0 && (
        <form onSubmit={submit} aria-label="Enregistrer une autorisation" noValidate className="fr-mt-3w">
          <h3>Enregistrer ou renouveler une autorisation</h3>
          {errors.summary}
          <div className="fr-grid-row fr-grid-row--gutters">
            <div className="fr-col-12 fr-col-md-6">
              <Select label="Établissement" {...errors.state("siteId")} nativeSelectProps={field("siteId")}>
                <option value="">Choisir</option>
                {data.sites.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                    {s.capacity ? ` (${s.capacity} places)` : ""}
                  </option>
                ))}
              </Select>
            </div>
            <div className="fr-col-12 fr-col-md-6">
              <Select label="Agent" {...errors.state("userId")} nativeSelectProps={field("userId")}>
                <option value="">Choisir</option>
                {data.agents.map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.displayName}
                  </option>
                ))}
              </Select>
            </div>
            <div className="fr-col-12 fr-col-md-6">
              <Input
                label="Référence"
                hintText="Numéro du badge ou de la décision de l'établissement."
                {...errors.state("reference")}
                nativeInputProps={field("reference", { autoComplete: "off" })}
              />
            </div>
            <div className="fr-col-12 fr-col-md-6">
              <Input
                label="Valable jusqu'au"
                {...errors.state("validUntil")}
                nativeInputProps={field("validUntil", { type: "date" })}
              />
            </div>
          </div>
          <Button type="submit" className="fr-mt-2w" disabled={add.isPending}>
            Enregistrer l'autorisation
          </Button>
          {recorded && <SuccessNotice message={recorded} className="fr-mt-2w" />}
        </form>
      )}
    </section>
  );
}

/**
 * The places of each SAS today (ADR 0028, addendum "SAS"): the people held there by the recorded
 * data, against its capacity. A SAS over its places is said, never refused: releases may be late.
 */
function SasPlacesSection({ structureId }: { structureId: string }): ReactNode {
  const occupancy = useSasOccupancy(structureId);
  const sites = occupancy.data?.sites;
  if (occupancy.error) return <ErrorAlert error={occupancy.error} />;
  if (!sites || sites.length === 0) return null;
  return (
    <section aria-labelledby="sas-places-title" className="fr-mb-6w">
      <h2 id="sas-places-title">Places des SAS</h2>
      <p>
        Personnes placées dans chaque SAS aujourd'hui, d'après les dossiers : sans libération effective saisie
        et dont la sortie prévue n'est pas passée. Une SAS accueille des personnes dont le reliquat de peine
        est de deux ans au plus.
      </p>
      <ul>
        {sites.map((s) => (
          <li key={s.id}>
            {s.name} : {occupancyText(s)}
            {s.capacity !== null && s.occupied >= s.capacity && (
              <>
                {" "}
                <Badge severity="warning" small noIcon>
                  {s.occupied > s.capacity ? "Dépassée" : "Complète"}
                </Badge>
              </>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Milieu fermé: movements lists (CPIP, direction), access authorisations and the plan's delay (direction). */
export function DetentionPage(): ReactNode {
  usePageTitle("Milieu fermé");
  const { structureId, roles } = useSession();
  if (!structureId) return <p>Chargement…</p>;
  return (
    <>
      <h1>Milieu fermé</h1>
      <MovementsSection structureId={structureId} />
      {roles.includes("service_manager") && (
        <>
          <SasPlacesSection structureId={structureId} />
          <AuthorisationsSection structureId={structureId} />
          <ReleasePlanDelaySection structureId={structureId} />
        </>
      )}
    </>
  );
}
