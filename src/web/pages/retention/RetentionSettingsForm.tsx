import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useState } from "react";
import { formatDateTime } from "../../../common/dateFormat";
import { typedNumber } from "../../../common/fields";
import { retentionRoutes } from "../../../common/retention/retention.routes";
import {
  type RetentionSettings,
  retentionBounds,
  retentionSettingsSchema,
} from "../../../common/retention/retention.schema";
import { call } from "../../api/client";
import { useMutation } from "../../api/useMutation";
import { useFormErrors } from "../../components/form/useFormErrors";
import { SuccessNotice } from "../../components/SuccessNotice";
import { useStepFocus } from "../../components/useStepFocus";

const labels = {
  archiveAfterMonths: "Archivage",
  eraseAfterMonths: "Effacement",
  journalMonths: "Journal des accès",
  messageMonths: "Contenu des SMS et courriels",
} as const;
type Key = keyof typeof labels;

/** What a shorter duration changes, in the confirmation's sentence. */
const shortenedWords: Record<Key, string> = {
  archiveAfterMonths: "le délai avant l'archivage",
  eraseAfterMonths: "le délai avant l'effacement",
  journalMonths: "la conservation du journal des accès",
  messageMonths: "la conservation du contenu des SMS et courriels",
};

const fields: { key: Key; label: string; hint: string }[] = [
  {
    key: "archiveAfterMonths",
    label: "Archiver un dossier, en mois après la fin de sa dernière mesure sans activité",
    hint: "12 par défaut. Le dossier archivé sort des listes et passe en lecture seule.",
  },
  {
    key: "eraseAfterMonths",
    label: "Effacer les données personnelles, en mois après l'archivage",
    hint: "6 par défaut. Les chiffres du pilotage sont conservés, anonymes.",
  },
  { key: "journalMonths", label: "Conserver le journal des accès, en mois", hint: "12 par défaut." },
  {
    key: "messageMonths",
    label: "Conserver le contenu des SMS et courriels (numéros, textes), en mois",
    hint: "3 par défaut. Le message reste compté, sans destinataire ni texte.",
  },
];

export function RetentionSettingsForm({
  structureId,
  initial,
  nextRunAt,
}: {
  structureId: string;
  initial: RetentionSettings;
  nextRunAt: string | null;
}): ReactNode {
  const queryClient = useQueryClient();
  // Typed text, turned into numbers (`typed`) and checked by the same schema as the server's.
  const [draft, setDraft] = useState<Record<Key, string>>({
    archiveAfterMonths: String(initial.archiveAfterMonths),
    eraseAfterMonths: String(initial.eraseAfterMonths),
    journalMonths: String(initial.journalMonths),
    messageMonths: String(initial.messageMonths),
  });
  const errors = useFormErrors("retention", labels);
  // The typed text as numbers: the body takes JSON numbers only.
  const typed = () => ({
    archiveAfterMonths: typedNumber(draft.archiveAfterMonths),
    eraseAfterMonths: typedNumber(draft.eraseAfterMonths),
    journalMonths: typedNumber(draft.journalMonths),
    messageMonths: typedNumber(draft.messageMonths),
  });
  const save = useMutation({
    mutationFn: () =>
      call(retentionRoutes.saveSettings, {
        params: { structureId },
        body: retentionSettingsSchema.parse(typed()),
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["retention", structureId] }),
    onError: errors.showApiError,
  });
  // A shorter duration takes effect at the next purge, and an erasure cannot be undone: said first.
  const [confirming, setConfirming] = useState(false);
  const shortened = fields.filter(({ key }) => {
    const value = typedNumber(draft[key]);
    return typeof value === "number" && value < initial[key];
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.reset();
    if (!errors.check(retentionSettingsSchema, typed())) return;
    if (shortened.length > 0 && !confirming) {
      setConfirming(true);
      return;
    }
    setConfirming(false);
    save.mutate();
  };
  const step = useStepFocus(confirming, confirming ? () => setConfirming(false) : undefined);
  return (
    <form onSubmit={submit} aria-label="Durées de conservation" noValidate>
      {errors.summary}
      <div className="fr-grid-row fr-grid-row--gutters">
        {fields.map(({ key, label, hint }) => (
          <div className="fr-col-12 fr-col-md-6" key={key}>
            <Input
              label={label}
              hintText={`${hint} Entre ${retentionBounds[key].min} et ${retentionBounds[key].max}.`}
              {...errors.state(key)}
              nativeInputProps={{
                ...errors.native(key),
                type: "number",
                min: retentionBounds[key].min,
                max: retentionBounds[key].max,
                value: draft[key],
                onChange: (e) => {
                  setConfirming(false);
                  setDraft({ ...draft, [key]: e.target.value });
                },
              }}
            />
          </div>
        ))}
      </div>
      {/* Apart from the last fields: the grid's gutters leave no space under them. */}
      <div className="fr-mt-3w" ref={step.box}>
        {/* The button, disabled while saving, dropped the focus: the notice takes it. */}
        {save.isSuccess && <SuccessNotice message="Durées enregistrées." />}
        {confirming && (
          <div role="alert" className="fr-mb-2w">
            <p className="fr-mb-1w">
              Vous raccourcissez{" "}
              {shortened
                .map(({ key }) => `${shortenedWords[key]} (${initial[key]} → ${draft[key]} mois)`)
                .join(", ")}
              . {shortened.length > 1 ? "Les nouvelles durées s'appliquent" : "La nouvelle durée s'applique"}{" "}
              dès le prochain passage de la purge
              {nextRunAt ? ` (${formatDateTime(nextRunAt)})` : ""} : les dossiers, lignes du journal et
              messages devenus trop anciens seront archivés ou effacés, et un effacement est définitif. Les
              nombres « Au prochain passage » en haut de la page seront mis à jour.
            </p>
            <Button type="submit" disabled={save.isPending} className="fr-mr-1w">
              Confirmer les nouvelles durées
            </Button>
            <Button type="button" priority="tertiary" onClick={() => setConfirming(false)}>
              Revenir
            </Button>
          </div>
        )}
        {!confirming && (
          <Button type="submit" disabled={save.isPending}>
            Enregistrer les durées
          </Button>
        )}
      </div>
    </form>
  );
}
