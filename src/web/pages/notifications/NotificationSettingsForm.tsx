import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { type UseQueryResult, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useState } from "react";
import { notificationsRoutes } from "../../../common/notifications/notifications.routes";
import type {
  NotificationConfig,
  NotificationSettings,
} from "../../../common/notifications/notifications.schema";
import { notificationSettingsSchema } from "../../../common/notifications/notifications.schema";
import { call } from "../../api/client";
import { useMutation } from "../../api/useMutation";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useFormErrors } from "../../components/form/useFormErrors";

const settingsLabels = {
  reminderHours: "Rappel",
  quietFrom: "Pas de SMS à partir de",
  quietTo: "Pas de SMS jusqu'à",
  preparationUrl: "Lien de préparation",
  letterhead: "En-tête des lettres",
  measureAlertDays: "Alerte de fin de mesure",
  notSeenWeeks: "Alerte « pas vue depuis »",
} as const;

function SettingsForm({
  structureId,
  initial,
}: {
  structureId: string;
  initial: NotificationSettings;
}): ReactNode {
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState(initial);
  const errors = useFormErrors("settings", settingsLabels);
  const save = useMutation({
    mutationFn: () => call(notificationsRoutes.saveSettings, { params: { structureId }, body: draft }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["notification-config", structureId] }),
    onError: errors.showApiError,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.reset();
    if (errors.check(notificationSettingsSchema, draft)) save.mutate();
  };
  const set = (patch: Partial<NotificationSettings>) => setDraft({ ...draft, ...patch });
  return (
    <form onSubmit={submit} aria-label="Réglages des messages" noValidate>
      {errors.summary}
      <Input
        label="Rappel, en heures avant le rendez-vous"
        hintText="48 par défaut. Pas de rappel si le rendez-vous est pris moins longtemps à l'avance."
        {...errors.state("reminderHours")}
        nativeInputProps={{
          ...errors.native("reminderHours"),
          type: "number",
          min: 1,
          max: 168,
          value: draft.reminderHours,
          onChange: (e) => set({ reminderHours: Number(e.target.value) }),
        }}
      />
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-6 fr-col-md-3">
          <Input
            label="Pas de SMS à partir de"
            {...errors.state("quietFrom")}
            nativeInputProps={{
              ...errors.native("quietFrom"),
              type: "time",
              value: draft.quietFrom,
              onChange: (e) => set({ quietFrom: e.target.value }),
            }}
          />
        </div>
        <div className="fr-col-6 fr-col-md-3">
          <Input
            label="jusqu'à"
            {...errors.state("quietTo")}
            nativeInputProps={{
              ...errors.native("quietTo"),
              type: "time",
              value: draft.quietTo,
              onChange: (e) => set({ quietTo: e.target.value }),
            }}
          />
        </div>
      </div>
      <Input
        label="Lien de préparation du rendez-vous (facultatif)"
        hintText="Une page publique qui explique le rendez-vous, utilisable dans les modèles par {lien_preparation}."
        {...errors.state("preparationUrl")}
        nativeInputProps={{
          ...errors.native("preparationUrl"),
          type: "url",
          value: draft.preparationUrl,
          onChange: (e) => set({ preparationUrl: e.target.value.trim() }),
        }}
      />
      <Input
        label="En-tête des lettres de convocation (facultatif)"
        hintText="6 lignes au plus, lues par quiconque voit la lettre : ne nommez ni le SPIP ni la mesure. Vide : « France services, Accès aux droits et aux services publics »."
        textArea
        {...errors.state("letterhead")}
        nativeTextAreaProps={{
          ...errors.native("letterhead"),
          value: draft.letterhead,
          rows: 4,
          maxLength: 400,
          onChange: (e) => set({ letterhead: e.target.value }),
        }}
      />
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-md-4">
          <Input
            label="Alerte de fin de mesure (jours avant)"
            hintText="Personnes dont la mesure finit bientôt avec des besoins ou démarches ouverts."
            {...errors.state("measureAlertDays")}
            nativeInputProps={{
              ...errors.native("measureAlertDays"),
              type: "number",
              min: 7,
              max: 365,
              value: draft.measureAlertDays,
              onChange: (e) => set({ measureAlertDays: Number(e.target.value) }),
            }}
          />
        </div>
        <div className="fr-col-12 fr-col-md-4">
          <Input
            label="Alerte « pas vue depuis » (semaines)"
            {...errors.state("notSeenWeeks")}
            nativeInputProps={{
              ...errors.native("notSeenWeeks"),
              type: "number",
              min: 1,
              max: 52,
              value: draft.notSeenWeeks,
              onChange: (e) => set({ notSeenWeeks: Number(e.target.value) }),
            }}
          />
        </div>
      </div>
      <Checkbox
        options={[
          {
            label: "Prévenir la personne quand une absence est constatée",
            hintText: "Un message l'invite à appeler pour un nouveau rendez-vous.",
            nativeInputProps: {
              checked: draft.notifyMissed,
              onChange: (e) => set({ notifyMissed: e.target.checked }),
            },
          },
        ]}
      />
      {save.isSuccess && (
        <Alert severity="success" small description="Réglages enregistrés." className="fr-mb-2w" />
      )}
      <Button type="submit" disabled={save.isPending}>
        Enregistrer les réglages
      </Button>
    </form>
  );
}

/** The structure's templates and settings, shared by the two tabs that edit them. */
export function useNotificationConfig(structureId: string): UseQueryResult<NotificationConfig> {
  return useQuery({
    queryKey: ["notification-config", structureId],
    queryFn: () => call(notificationsRoutes.config, { params: { structureId } }),
  });
}

export function NotificationSettingsForm({ structureId }: { structureId: string }): ReactNode {
  const config = useNotificationConfig(structureId);
  if (config.error) return <ErrorAlert error={config.error} />;
  if (!config.data) return <p>Chargement…</p>;
  return <SettingsForm structureId={structureId} initial={config.data.settings} />;
}
