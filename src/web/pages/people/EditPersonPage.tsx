import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { createModal } from "@codegouvfr/react-dsfr/Modal";
import { RadioButtons } from "@codegouvfr/react-dsfr/RadioButtons";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useId, useMemo, useState } from "react";
import { useNavigate, useParams } from "react-router";
import { birthDateBounds, birthDateWarning } from "../../../common/dates";
import { sexLabels, sexValues } from "../../../common/people/closing.schema";
import { peopleRoutes } from "../../../common/people/people.routes";
import { type PersonFile, readsFrenchLabels, readsFrenchValues } from "../../../common/people/people.schema";
import { editPersonBodySchema } from "../../../common/people/personEdit.schema";
import { ofName } from "../../../common/placeName";
import { measureTypeLabels, measureTypes, retiredMeasureTypes } from "../../../common/roles";
import { ApiError, call } from "../../api/client";
import { useMutation } from "../../api/useMutation";
import { DATE_HINT } from "../../components/dates";
import { ErrorAlert, isPersonNotFound } from "../../components/ErrorAlert";
import { withWarning } from "../../components/form/fieldWarning";
import { useFormErrors } from "../../components/form/useFormErrors";
import { useLeaveWarning } from "../../components/form/useLeaveWarning";
import { useModalOpener } from "../../components/modalOpener";
import { usePageTitle } from "../../components/pageTitle";
import { DetentionFields, useSasOccupancy } from "../detention/DetentionFields";
import { fullSasFor, fullSasWarning } from "../detention/sasPlaces";
import { NotFoundPage } from "../errors/ErrorPages";
import {
  editBody,
  expectedValues,
  initialForm,
  isNewValidPhone,
  type Key,
  labels,
  removesEveryContact,
  SMS_CHOICE_MISSING,
  seenAfterConflict,
} from "./editPersonForm";
import { personDisplayName, usePersonFile } from "./usePersonFile";

function EditForm({ file }: { file: PersonFile }): ReactNode {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form, setForm] = useState(() => initialForm(file));
  const [shownForm] = useState(form);
  // A correction typed and not saved: a reload or a closed tab asks first.
  useLeaveWarning(Object.entries(form).some(([key, value]) => shownForm[key as Key] !== value));
  // The file as the form was filled from it: a refetch while typing must not become "what I saw".
  const [expected, setExpected] = useState(() => expectedValues(file));
  const [initialMeasureType] = useState(() => form["measure.type"]);
  const errors = useFormErrors<Key>("edit-person", labels, { "person.invalidPhone": "contacts.phone" });
  const phoneChanged = isNewValidPhone(file.phone, form["contacts.phone"]);
  const baseId = useId().replace(/[^a-zA-Z0-9]/g, "");
  const noContactModal = useMemo(
    () => createModal({ id: `no-contact-${baseId}`, isOpenedByDefault: false }),
    [baseId],
  );
  const judicial = file.view === "full";
  const text = (key: Key, extra: Record<string, unknown> = {}) => ({
    value: form[key],
    onChange: (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value }),
    ...errors.native(key),
    ...extra,
  });
  const body = () => ({ ...editBody(file, form, phoneChanged), expected });
  const openNoContact = useModalOpener(noContactModal);
  const fullSasModal = useMemo(
    () => createModal({ id: `full-sas-${baseId}`, isOpenedByDefault: false }),
    [baseId],
  );
  const openFullSas = useModalOpener(fullSasModal);
  // The full SAS the agent chose to save into anyway: not asked again while that SAS stays chosen
  // (a refusal of the release date, then the date corrected, saves without a second warning).
  const [passedFullSas, setPassedFullSas] = useState<string | null>(null);
  // A placement in a full SAS is warned of, never refused (ADR 0028, addendum "SAS").
  const mayPlace = file.permissions.edit && judicial;
  const occupancy = useSasOccupancy(file.structureId, mayPlace);
  const fullSas = mayPlace
    ? fullSasFor(
        occupancy.data,
        file.detention && {
          siteId: file.detention.siteId,
          releasedOn: file.detention.releasedOn,
          expectedReleaseDate: file.detention.expectedReleaseDate,
        },
        {
          siteId: form["detention.siteId"] || null,
          releasedOn: form["detention.releasedOn"] || null,
          expectedReleaseDate: (form["detention.siteId"] && form["detention.expectedReleaseDate"]) || null,
        },
      )
    : null;
  const save = useMutation({
    mutationFn: () => call(peopleRoutes.edit, { params: { personId: file.id }, body: body() }),
    onSuccess: async (result) => {
      await queryClient.invalidateQueries({ queryKey: ["people"] });
      await queryClient.invalidateQueries({ queryKey: ["convocations"] });
      await queryClient.invalidateQueries({ queryKey: ["sas-occupancy"] });
      const moved =
        result.withdrawnMessages > 0
          ? `&messages=${result.withdrawnMessages}-${result.requeuedMessages}`
          : "";
      navigate(`/personnes/${file.id}?onglet=historique&modifie=${result.changed.length}${moved}`);
    },
    onError: async (error) => {
      errors.showApiError(error);
      // Changed meanwhile: the fields named are now seen as saved, so saving again applies this
      // correction there (the message under each says the value it replaces).
      if (error instanceof ApiError && error.body.code === "person.editedMeanwhile") {
        const fresh = await call(peopleRoutes.get, { params: { personId: file.id } });
        setExpected((seen) => seenAfterConflict(seen, expectedValues(fresh), error.body.issues ?? []));
      }
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!errors.check(editPersonBodySchema, body())) return;
    if (phoneChanged && form["contacts.smsAtNewNumber"] === "") {
      // The same message as the server's 400, without the round trip.
      errors.showApiError(
        new ApiError(400, {
          code: "request.invalid",
          message: "",
          issues: [{ path: "body.contacts.smsAtNewNumber", message: SMS_CHOICE_MISSING }],
        }),
      );
      return;
    }
    // "Revenir au formulaire" gives the focus back to the button that saved (or the field typed in).
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    const from = submitter ?? (document.activeElement instanceof HTMLElement ? document.activeElement : null);
    if (removesEveryContact(file, form)) {
      if (from) openNoContact({ currentTarget: from });
      else noContactModal.open();
      return;
    }
    if (fullSas && passedFullSas !== fullSas.id) {
      if (from) openFullSas({ currentTarget: from });
      else fullSasModal.open();
      return;
    }
    save.mutate();
  };
  const col = "fr-col-12 fr-col-md-6";
  return (
    <form onSubmit={submit} aria-label="Corriger le dossier" noValidate>
      {errors.summary}
      <noContactModal.Component
        titleAs="h2"
        title="Retirer tous les moyens de joindre la personne ?"
        buttons={[
          { children: "Revenir au formulaire", priority: "secondary" },
          { children: "Enregistrer sans coordonnées", onClick: () => save.mutate() },
        ]}
      >
        <p>
          Le dossier n'aura plus ni téléphone, ni adresse électronique, ni adresse postale : les convocations
          et les rappels ne pourront plus lui parvenir par SMS, courriel ou courrier. Vous ne pourrez la
          prévenir qu'en la voyant.
        </p>
      </noContactModal.Component>
      <fullSasModal.Component
        titleAs="h2"
        title="Placer la personne dans une SAS complète ?"
        buttons={[
          { children: "Revenir au formulaire", priority: "secondary" },
          {
            children: "Enregistrer quand même",
            onClick: () => {
              setPassedFullSas(fullSas?.id ?? null);
              save.mutate();
            },
          },
        ]}
      >
        <p>{fullSas && fullSasWarning(fullSas)}</p>
        <p>
          Le placement n'est pas refusé : les sorties sont parfois enregistrées en retard. Vérifiez dans les
          dossiers des personnes placées que leur libération est saisie.
        </p>
      </fullSasModal.Component>
      {file.permissions.edit && (
        <fieldset className="fr-fieldset">
          <legend className="fr-fieldset__legend fr-h4">Identité</legend>
          <div className="fr-fieldset__element">
            <div className="fr-grid-row fr-grid-row--gutters">
              <div className={col}>
                <Input
                  label="Nom"
                  {...errors.state("identity.lastName")}
                  nativeInputProps={text("identity.lastName", { autoComplete: "off" })}
                />
              </div>
              <div className={col}>
                <Input
                  label="Prénom"
                  {...errors.state("identity.firstName")}
                  nativeInputProps={text("identity.firstName", { autoComplete: "off" })}
                />
              </div>
              <div className={col}>
                <Input
                  label="Date de naissance"
                  hintText={DATE_HINT}
                  {...withWarning(
                    errors.state("identity.birthDate"),
                    // Only for a date typed here: a file's date already saved is not questioned at every edit.
                    form["identity.birthDate"] === shownForm["identity.birthDate"]
                      ? null
                      : birthDateWarning(form["identity.birthDate"]),
                  )}
                  nativeInputProps={text("identity.birthDate", { type: "date", ...birthDateBounds() })}
                />
              </div>
              <div className={col}>
                <Input
                  label="Lieu de naissance (facultatif)"
                  {...errors.state("identity.birthPlace")}
                  nativeInputProps={text("identity.birthPlace")}
                />
              </div>
              <div className={col}>
                <Select
                  label="Sexe"
                  {...errors.state("identity.sex")}
                  nativeSelectProps={text("identity.sex")}
                >
                  {sexValues.map((v) => (
                    <option key={v} value={v}>
                      {sexLabels[v]}
                    </option>
                  ))}
                </Select>
              </div>
            </div>
          </div>
        </fieldset>
      )}
      <fieldset className="fr-fieldset">
        <legend className="fr-fieldset__legend fr-h4">Coordonnées</legend>
        <div className="fr-fieldset__element">
          <div className="fr-grid-row fr-grid-row--gutters">
            <div className={col}>
              <Input
                label="Téléphone (facultatif)"
                hintText="Numéro français, ou étranger avec l'indicatif (+32…). Un nouveau numéro retire les SMS en attente vers l'ancien."
                {...errors.state("contacts.phone")}
                nativeInputProps={text("contacts.phone", { type: "tel" })}
              />
              {phoneChanged && (
                <RadioButtons
                  legend="La personne accepte-t-elle de recevoir des SMS à ce nouveau numéro ?"
                  hintText="Demandez-le lui : les rappels en attente ne partent vers ce numéro que si elle accepte."
                  name="sms-at-new-number"
                  id={errors.native("contacts.smsAtNewNumber").id}
                  state={errors.state("contacts.smsAtNewNumber").state}
                  stateRelatedMessage={errors.message("contacts.smsAtNewNumber")}
                  options={[
                    { label: "Oui, elle accepte les SMS", value: "yes" },
                    { label: "Non, pas de SMS", value: "no" },
                  ].map((o) => ({
                    label: o.label,
                    nativeInputProps: {
                      value: o.value,
                      checked: form["contacts.smsAtNewNumber"] === o.value,
                      onChange: () => setForm({ ...form, "contacts.smsAtNewNumber": o.value }),
                    },
                  }))}
                />
              )}
            </div>
            <div className={col}>
              <Input
                label="Adresse électronique (facultatif)"
                {...errors.state("contacts.email")}
                nativeInputProps={text("contacts.email", { type: "email" })}
              />
            </div>
            <div className={col}>
              <Input
                label="Adresse postale (facultatif)"
                {...errors.state("contacts.address")}
                nativeInputProps={text("contacts.address")}
              />
            </div>
            <div className={col}>
              <Input
                label="Domiciliation (facultatif)"
                hintText="CCAS, association agréée…"
                {...errors.state("contacts.domiciliation")}
                nativeInputProps={text("contacts.domiciliation")}
              />
            </div>
            <div className={col}>
              <Input
                label="Langue préférée"
                {...errors.state("contacts.preferredLanguage")}
                nativeInputProps={text("contacts.preferredLanguage")}
              />
            </div>
            <div className={col}>
              <Select
                label="Lit le français"
                {...errors.state("contacts.readsFrench")}
                nativeSelectProps={text("contacts.readsFrench")}
              >
                {readsFrenchValues.map((v) => (
                  <option key={v} value={v}>
                    {readsFrenchLabels[v]}
                  </option>
                ))}
              </Select>
            </div>
          </div>
        </div>
      </fieldset>
      {file.permissions.edit && (
        <fieldset className="fr-fieldset">
          <legend className="fr-fieldset__legend fr-h4">Mesure</legend>
          <div className="fr-fieldset__element">
            <div className="fr-grid-row fr-grid-row--gutters">
              <div className={col}>
                <Select
                  label="Mesure"
                  {...errors.state("measure.type")}
                  nativeSelectProps={text("measure.type")}
                >
                  {/* A retired measure stays on the record that has it, never offered for another. */}
                  {measureTypes
                    .filter((m) => !retiredMeasureTypes.has(m) || m === initialMeasureType)
                    .map((m) => (
                      <option key={m} value={m}>
                        {measureTypeLabels[m]}
                      </option>
                    ))}
                </Select>
              </div>
              {judicial && (
                <div className={col}>
                  <Input
                    label="Début de la mesure"
                    {...errors.state("measure.startDate")}
                    nativeInputProps={text("measure.startDate", { type: "date" })}
                  />
                </div>
              )}
              <div className={col}>
                <Input
                  label="Fin de la mesure"
                  {...errors.state("measure.endDate")}
                  nativeInputProps={text("measure.endDate", { type: "date" })}
                />
              </div>
              {judicial && (
                <>
                  <div className={col}>
                    <Input
                      label="Infraction (réservé au SPIP)"
                      {...errors.state("measure.offence")}
                      nativeInputProps={text("measure.offence")}
                    />
                  </div>
                  <div className={col}>
                    <Input
                      label="Juridiction (réservé au SPIP)"
                      {...errors.state("measure.court")}
                      nativeInputProps={text("measure.court")}
                    />
                  </div>
                  <div className={col}>
                    <Input
                      label="Date du jugement (facultatif)"
                      {...errors.state("measure.judgmentDate")}
                      nativeInputProps={text("measure.judgmentDate", { type: "date" })}
                    />
                  </div>
                </>
              )}
            </div>
          </div>
        </fieldset>
      )}
      {file.permissions.edit && judicial && (
        <DetentionFields
          structureId={file.structureId}
          current={
            file.detention && {
              id: file.detention.siteId,
              name: file.detention.siteName,
              kind: file.detention.siteKind,
            }
          }
          form={form}
          set={(key, value) => setForm({ ...form, [key]: value })}
          errors={errors}
          fullSas={fullSas}
          bornOn={form["identity.birthDate"]}
        />
      )}
      <Input
        label="Motif de la correction (facultatif)"
        hintText="Gardé dans l'historique du dossier avec chaque changement."
        {...errors.state("reason")}
        nativeInputProps={text("reason")}
      />
      <ul className="fr-btns-group fr-btns-group--inline-md">
        <li>
          <Button type="submit" disabled={save.isPending}>
            Enregistrer les corrections
          </Button>
        </li>
        <li>
          <Button priority="secondary" linkProps={{ to: `/personnes/${file.id}` }}>
            Annuler
          </Button>
        </li>
      </ul>
    </form>
  );
}

/** Correct a file: identity and measure for the referent and the direction, contacts also for counselors. */
export function EditPersonPage(): ReactNode {
  const { personId = "" } = useParams();
  const query = usePersonFile(personId);
  const name = query.data ? personDisplayName(query.data) : null;
  usePageTitle(name ? `Modifier le dossier ${ofName(name)}` : null);
  if (isPersonNotFound(query.error))
    return <NotFoundPage back={{ to: "/personnes", label: "Personnes suivies" }} />;
  if (query.error) return <ErrorAlert error={query.error} title="Dossier inaccessible" />;
  if (!query.data) return <p>Chargement…</p>;
  const file = query.data;
  return (
    <>
      <Breadcrumb
        currentPageLabel="Modifier"
        segments={[
          { label: "Personnes suivies", linkProps: { to: "/personnes" } },
          { label: name ?? "", linkProps: { to: `/personnes/${file.id}` } },
        ]}
      />
      <h1>Modifier le dossier {ofName(personDisplayName(file))}</h1>
      {file.closure || !file.permissions.editContacts ? (
        <p>Vous ne pouvez pas modifier ce dossier{file.closure ? " : il est clôturé" : ""}.</p>
      ) : (
        <EditForm file={file} />
      )}
    </>
  );
}
