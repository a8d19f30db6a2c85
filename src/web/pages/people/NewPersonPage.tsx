import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from "react";
import { Link, useNavigate } from "react-router";
import { birthDateBounds, birthDateWarning } from "../../../common/dates";
import { peopleRoutes } from "../../../common/people/people.routes";
import type { Duplicates } from "../../../common/people/people.schema";
import {
  newPersonBodySchema,
  readsFrenchLabels,
  readsFrenchValues,
} from "../../../common/people/people.schema";
import {
  currentMeasureTypes,
  measureTypeLabels,
  personStatuses,
  personStatusLabels,
} from "../../../common/roles";
import { ApiError, call } from "../../api/client";
import { useRecordId } from "../../api/requestId";
import { useSession } from "../../api/session";
import { useMutation } from "../../api/useMutation";
import { DATE_HINT, formatDate } from "../../components/dates";
import { withWarning } from "../../components/form/fieldWarning";
import { scopedErrors, useFormErrors } from "../../components/form/useFormErrors";
import { useLeaveWarning } from "../../components/form/useLeaveWarning";
import { usePageTitle } from "../../components/pageTitle";
import { useStepFocus } from "../../components/useStepFocus";
import { ConsentFields, type ConsentKey, emptyConsent } from "./ConsentPanel";

const empty = {
  lastName: "",
  firstName: "",
  birthDate: "",
  birthPlace: "",
  phone: "",
  email: "",
  address: "",
  domiciliation: "",
  preferredLanguage: "français",
  readsFrench: "",
  status: "milieu_ouvert",
  measureType: "sursis_probatoire",
  startDate: "",
  endDate: "",
  offence: "",
  court: "",
};

const labels = {
  lastName: "Nom",
  firstName: "Prénom",
  birthDate: "Date de naissance",
  birthPlace: "Lieu de naissance",
  phone: "Téléphone",
  email: "Adresse électronique",
  address: "Adresse",
  domiciliation: "Domiciliation",
  preferredLanguage: "Langue préférée",
  readsFrench: "Lit le français",
  status: "Situation",
  "measure.type": "Mesure",
  "measure.startDate": "Début de la mesure",
  "measure.endDate": "Fin de la mesure",
  "measure.offence": "Infraction",
  "measure.court": "Juridiction",
  "consent.recipients": "Consentement : avec qui",
  "consent.partnerIds": "Consentement : partenaires",
  "consent.domains": "Consentement : besoins partagés",
  "consent.purpose": "Consentement : dans quel but",
} as const;
type FieldKey = keyof typeof labels;
/** The form's fields and the body path they fill. */
const fieldKeys: Record<keyof typeof empty, FieldKey> = {
  lastName: "lastName",
  firstName: "firstName",
  birthDate: "birthDate",
  birthPlace: "birthPlace",
  phone: "phone",
  email: "email",
  address: "address",
  domiciliation: "domiciliation",
  preferredLanguage: "preferredLanguage",
  readsFrench: "readsFrench",
  status: "status",
  measureType: "measure.type",
  startDate: "measure.startDate",
  endDate: "measure.endDate",
  offence: "measure.offence",
  court: "measure.court",
};

/** A CPIP adds a person they will refer; possible duplicates are shown before anything is created. */
export function NewPersonPage(): ReactNode {
  usePageTitle("Ajouter une personne suivie");
  const { structureId } = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form, setForm] = useState(empty);
  const [duplicates, setDuplicates] = useState<Duplicates | null>(null);
  const [confirmed, setConfirmed] = useState(false);
  const [consented, setConsented] = useState(false);
  const [consent, setConsent] = useState(emptyConsent);
  // The new file's id, kept until it is saved (through the duplicate step too): sending again after
  // a lost answer gives back the file already created, not a second one (ADR 0036).
  const record = useRecordId(["people"]);
  const errors = useFormErrors("new-person", labels);
  // The warning takes the focus: the button just used was disabled while asking, the focus was lost.
  const duplicatesAlert = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (duplicates) duplicatesAlert.current?.focus();
  }, [duplicates]);
  // Échap leaves the warning, unchecked, as a dialog: the focus back on "Enregistrer et convoquer".
  const step = useStepFocus(
    duplicates !== null,
    duplicates
      ? () => {
          setDuplicates(null);
          setConfirmed(false);
        }
      : undefined,
  );
  const field = (key: keyof typeof empty) => ({
    value: form[key],
    onChange: (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value }),
    ...errors.native(fieldKeys[key]),
  });
  const fieldState = (key: keyof typeof empty) => errors.state(fieldKeys[key]);
  const body = () => ({
    id: record.id,
    structureId,
    firstName: form.firstName,
    lastName: form.lastName,
    birthDate: form.birthDate,
    birthPlace: form.birthPlace,
    phone: form.phone,
    email: form.email,
    address: form.address,
    domiciliation: form.domiciliation,
    preferredLanguage: form.preferredLanguage,
    readsFrench: form.readsFrench,
    status: form.status,
    measure: {
      type: form.measureType,
      startDate: form.startDate,
      endDate: form.endDate,
      offence: form.offence,
      court: form.court,
    },
    consent: consented ? consent : null,
    confirmNotDuplicate: confirmed,
  });
  const create = useMutation({
    mutationFn: () => call(peopleRoutes.create, { body: body() }),
    onSuccess: async ({ id }) => {
      await queryClient.invalidateQueries({ queryKey: ["people"] });
      // The booking replaces the form in the history: "Back" leads to the list, not to a blank
      // form that would create the person a second time.
      navigate(`/personnes/${id}/convoquer`, { replace: true });
    },
    onError: async (error) => {
      if (!(error instanceof ApiError && error.body.code === "person.possibleDuplicate")) {
        errors.showApiError(error);
      }
      // The first submission was recorded with other values: a later one is a new file (which the
      // duplicate step will then compare with it), and the lists show the first.
      await record.failed(error);
      if (error instanceof ApiError && error.body.code === "person.possibleDuplicate") {
        const found = await call(peopleRoutes.duplicates, {
          query: {
            structureId: structureId ?? "",
            lastName: form.lastName,
            firstName: form.firstName,
            birthDate: form.birthDate,
            phone: form.phone || undefined,
          },
        });
        // The warning, drawn, takes the focus itself (above), not its first control.
        if (!duplicates) step.quiet();
        setDuplicates(found);
      }
    },
  });
  // Typed but not saved: a reload or a closed tab asks first (not once the person is recorded).
  useLeaveWarning(
    !create.isSuccess && (Object.keys(empty) as (keyof typeof empty)[]).some((k) => form[k] !== empty[k]),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (errors.check(newPersonBodySchema, body())) create.mutate();
  };
  return (
    <>
      <h1>Ajouter une personne suivie</h1>
      <p>
        Vous en deviendrez le CPIP référent. Identité minimale : n'indiquez que ce qui est utile à
        l'accompagnement.
      </p>
      <form onSubmit={submit} aria-label="Nouvelle personne" noValidate>
        {errors.summary}
        <div className="fr-grid-row fr-grid-row--gutters">
          <div className="fr-col-12 fr-col-md-6">
            <Input
              label="Nom"
              {...fieldState("lastName")}
              nativeInputProps={{ ...field("lastName"), required: true, autoComplete: "off" }}
            />
          </div>
          <div className="fr-col-12 fr-col-md-6">
            <Input
              label="Prénom"
              {...fieldState("firstName")}
              nativeInputProps={{ ...field("firstName"), required: true, autoComplete: "off" }}
            />
          </div>
          <div className="fr-col-12 fr-col-md-6">
            <Input
              label="Date de naissance"
              hintText={DATE_HINT}
              {...withWarning(fieldState("birthDate"), birthDateWarning(form.birthDate))}
              nativeInputProps={{ type: "date", ...field("birthDate"), required: true, ...birthDateBounds() }}
            />
          </div>
          <div className="fr-col-12 fr-col-md-6">
            <Input
              label="Lieu de naissance (facultatif)"
              {...fieldState("birthPlace")}
              nativeInputProps={field("birthPlace")}
            />
          </div>
          <div className="fr-col-12 fr-col-md-6">
            <Input
              label="Téléphone (facultatif)"
              hintText="Numéro français, ou étranger avec l'indicatif (+32…)"
              {...fieldState("phone")}
              nativeInputProps={{ type: "tel", ...field("phone") }}
            />
          </div>
          <div className="fr-col-12 fr-col-md-6">
            <Input
              label="Adresse électronique (facultatif)"
              {...fieldState("email")}
              nativeInputProps={{ type: "email", ...field("email") }}
            />
          </div>
          <div className="fr-col-12 fr-col-md-6">
            <Input
              label="Adresse (facultatif)"
              {...fieldState("address")}
              nativeInputProps={field("address")}
            />
          </div>
          <div className="fr-col-12 fr-col-md-6">
            <Input
              label="Domiciliation (facultatif)"
              hintText="L'organisme qui donne une adresse administrative : CCAS, association agréée…"
              {...fieldState("domiciliation")}
              nativeInputProps={field("domiciliation")}
            />
          </div>
          <div className="fr-col-12 fr-col-md-6">
            <Input
              label="Langue préférée"
              {...fieldState("preferredLanguage")}
              nativeInputProps={field("preferredLanguage")}
            />
          </div>
          <div className="fr-col-12 fr-col-md-6">
            <Select
              label="Lit le français"
              {...fieldState("readsFrench")}
              nativeSelectProps={field("readsFrench")}
            >
              {readsFrenchValues.map((v) => (
                <option key={v} value={v}>
                  {readsFrenchLabels[v]}
                </option>
              ))}
            </Select>
          </div>
          <div className="fr-col-12 fr-col-md-6">
            <Select label="Situation" {...fieldState("status")} nativeSelectProps={field("status")}>
              {personStatuses.map((s) => (
                <option key={s} value={s}>
                  {personStatusLabels[s]}
                </option>
              ))}
            </Select>
          </div>
          <div className="fr-col-12 fr-col-md-6">
            <Select label="Mesure" {...fieldState("measureType")} nativeSelectProps={field("measureType")}>
              {currentMeasureTypes.map((m) => (
                <option key={m} value={m}>
                  {measureTypeLabels[m]}
                </option>
              ))}
            </Select>
          </div>
          <div className="fr-col-12 fr-col-md-6">
            <Input
              label="Début de la mesure"
              {...fieldState("startDate")}
              nativeInputProps={{ type: "date", ...field("startDate"), required: true }}
            />
          </div>
          <div className="fr-col-12 fr-col-md-6">
            <Input
              label="Fin de la mesure"
              {...fieldState("endDate")}
              nativeInputProps={{ type: "date", ...field("endDate"), required: true }}
            />
          </div>
          <div className="fr-col-12 fr-col-md-6">
            <Input
              label="Infraction (réservé au SPIP, facultatif)"
              {...fieldState("offence")}
              nativeInputProps={field("offence")}
            />
          </div>
          <div className="fr-col-12 fr-col-md-6">
            <Input
              label="Juridiction (réservé au SPIP, facultatif)"
              {...fieldState("court")}
              nativeInputProps={field("court")}
            />
          </div>
        </div>
        <Checkbox
          options={[
            {
              label: "La personne accepte que des informations soient partagées (secret partagé)",
              hintText: "Sans son accord, chaque service ne lit que ses propres notes.",
              nativeInputProps: { checked: consented, onChange: (e) => setConsented(e.target.checked) },
            },
          ]}
        />
        {consented && (
          <fieldset className="fr-fieldset fr-mb-3w">
            <legend className="fr-fieldset__legend">Consentement au partage d'informations</legend>
            <ConsentFields
              value={consent}
              onChange={setConsent}
              errors={scopedErrors<ConsentKey>(errors, "consent.")}
            />
          </fieldset>
        )}
        <div ref={step.box}>
          {duplicates && (
            <div ref={duplicatesAlert} tabIndex={-1}>
              <Alert
                severity="warning"
                className="fr-mb-3w"
                title="Cette personne existe peut-être déjà"
                description={
                  <>
                    {duplicates.visible.length > 0 && (
                      <ul>
                        {duplicates.visible.map((d) => (
                          <li key={d.id}>
                            <Link to={`/personnes/${d.id}`}>{d.name}</Link>, né·e le {formatDate(d.birthDate)}{" "}
                            ({d.reason === "phone" ? "même téléphone" : "même nom et même date de naissance"})
                          </li>
                        ))}
                      </ul>
                    )}
                    {duplicates.hiddenCount > 0 && (
                      <p>
                        {duplicates.hiddenCount} personne(s) correspondante(s) suivie(s) par un autre service
                        : contactez la direction avant de créer un doublon.
                      </p>
                    )}
                  </>
                }
              />
            </div>
          )}
          {duplicates && (
            <Checkbox
              options={[
                {
                  label: "J'ai vérifié : il s'agit d'une autre personne",
                  nativeInputProps: { checked: confirmed, onChange: (e) => setConfirmed(e.target.checked) },
                },
              ]}
            />
          )}
          <Button type="submit" disabled={create.isPending}>
            Enregistrer et convoquer
          </Button>
        </div>
      </form>
    </>
  );
}
