import { Accordion } from "@codegouvfr/react-dsfr/Accordion";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useState } from "react";
import { notificationsRoutes } from "../../../common/notifications/notifications.routes";
import { type TemplateView, templateBodySchema } from "../../../common/notifications/notifications.schema";
import {
  defaultTemplates,
  MAX_SMS_SEGMENTS,
  notificationChannelLabels,
  notificationKindLabels,
  placeholders,
  renderSms,
  renderTemplate,
  revealingWords,
  samplePlaceholderValues,
  sampleStopUrl,
  smsSize,
  unknownPlaceholders,
} from "../../../common/notifications/templates";
import { call } from "../../api/client";
import { useMutation } from "../../api/useMutation";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useFormErrors } from "../../components/form/useFormErrors";

const templateLabels = { subject: "Objet du courriel", body: "Texte" } as const;

import { frenchList } from "../../../common/frenchList";
import { useNotificationConfig } from "./NotificationSettingsForm";

type Longest = { lieu: string; adresse: string; telephone: string };

/** One template, with the live preview of what a person receives (with the longest site). */
function TemplateForm({
  structureId,
  template,
  longest,
}: {
  structureId: string;
  template: TemplateView;
  longest: Longest;
}): ReactNode {
  const queryClient = useQueryClient();
  const [subject, setSubject] = useState(template.subject);
  const [body, setBody] = useState(template.body);
  const errors = useFormErrors("template", templateLabels);
  const save = useMutation({
    mutationFn: () =>
      call(notificationsRoutes.saveTemplate, {
        params: { structureId, kind: template.kind, channel: template.channel },
        body: { subject, body },
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["notification-config", structureId] }),
    onError: errors.showApiError,
  });
  const values = { ...samplePlaceholderValues, ...longest };
  const isSms = template.channel === "sms";
  const preview = isSms ? renderSms(body, values, sampleStopUrl) : renderTemplate(body, values);
  const size = isSms ? smsSize(preview) : null;
  const unknown = unknownPlaceholders(`${subject} ${body}`);
  const revealed = revealingWords(`${renderTemplate(subject, values)} ${preview}`);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.reset();
    if (errors.check(templateBodySchema, { subject, body })) save.mutate();
  };
  const national = defaultTemplates[template.kind][template.channel];
  return (
    <form
      onSubmit={submit}
      aria-label="Modèle de message"
      className="fr-grid-row fr-grid-row--gutters"
      noValidate
    >
      <div className="fr-col-12 fr-col-lg-6">
        {errors.summary}
        {!isSms && (
          <Input
            label="Objet du courriel"
            {...errors.state("subject")}
            nativeInputProps={{
              ...errors.native("subject"),
              value: subject,
              onChange: (e) => setSubject(e.target.value),
              maxLength: 200,
            }}
          />
        )}
        <Input
          label="Texte"
          hintText={isSms ? "Le lien personnel « STOP SMS » est ajouté automatiquement à la fin." : undefined}
          textArea
          {...(errors.message("body")
            ? errors.state("body")
            : {
                state: unknown.length > 0 ? "error" : "default",
                stateRelatedMessage: `Variable non autorisée : ${frenchList(unknown.map((u) => `{${u}}`))}. Retirez-la ou choisissez une variable de la liste.`,
              })}
          nativeTextAreaProps={{
            ...errors.native("body"),
            value: body,
            onChange: (e) => setBody(e.target.value),
            rows: isSms ? 5 : 12,
          }}
        />
        {save.isSuccess && (
          <Alert severity="success" small description="Modèle enregistré." className="fr-mb-2w" />
        )}
        <ul className="fr-btns-group fr-btns-group--inline">
          <li>
            <Button type="submit" disabled={save.isPending}>
              Enregistrer le modèle
            </Button>
          </li>
          <li>
            <Button
              type="button"
              priority="secondary"
              onClick={() => {
                setSubject(national.subject);
                setBody(national.body);
              }}
            >
              Reprendre le texte national
            </Button>
          </li>
        </ul>
      </div>
      <div className="fr-col-12 fr-col-lg-6">
        <h3 className="fr-h6">Aperçu</h3>
        {!isSms && <p className="fr-text--bold fr-mb-1w">{renderTemplate(subject, values)}</p>}
        <div className="fr-callout fr-mb-2w" data-testid="apercu">
          {preview.split("\n").map((line, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: lines of a fixed text
            <p key={i} className="fr-mb-1v">
              {line || "\u00a0"}
            </p>
          ))}
        </div>
        {revealed.length > 0 && (
          <Alert
            severity="warning"
            small
            className="fr-mb-2w"
            description={`Ce message contient « ${revealed.join(" », « ")} » (texte ou adresse du lieu). Un téléphone ou une boîte de courriel peut être partagé : préférez une adresse qui ne révèle pas la situation de la personne.`}
          />
        )}
        {size && (
          <p className={size.segments > MAX_SMS_SEGMENTS ? "fr-error-text" : "fr-text--sm"}>
            {preview.length} caractères, {size.segments} SMS (
            {size.encoding === "GSM-7" ? "sans accent problématique" : "encodage Unicode, plus coûteux"}) ;{" "}
            {MAX_SMS_SEGMENTS} SMS au plus.
          </p>
        )}
      </div>
    </form>
  );
}

export function TemplatesEditor({ structureId }: { structureId: string }): ReactNode {
  const config = useNotificationConfig(structureId);
  const [selected, setSelected] = useState("summon/sms");
  if (config.error) return <ErrorAlert error={config.error} />;
  if (!config.data) return <p>Chargement…</p>;
  const template = config.data.templates.find((t) => `${t.kind}/${t.channel}` === selected);
  return (
    <>
      <Select
        label="Message à modifier"
        nativeSelectProps={{ value: selected, onChange: (e) => setSelected(e.target.value) }}
      >
        {config.data.templates.map((t) => (
          <option key={`${t.kind}/${t.channel}`} value={`${t.kind}/${t.channel}`}>
            {notificationKindLabels[t.kind]} — {notificationChannelLabels[t.channel]}
            {t.isDefault ? " (texte national)" : " (texte de la structure)"}
          </option>
        ))}
      </Select>
      <Accordion label="Variables autorisées" className="fr-mb-3w">
        <ul>
          {Object.entries(placeholders).map(([name, meaning]) => (
            <li key={name}>
              <code>{`{${name}}`}</code> : {meaning}
            </li>
          ))}
        </ul>
        <p className="fr-text--sm">
          Aucune autre donnée ne peut figurer dans un message : le téléphone peut être partagé, le message ne
          doit rien révéler de la situation judiciaire de la personne.
        </p>
      </Accordion>
      {template && (
        <TemplateForm
          key={selected}
          structureId={structureId}
          template={template}
          longest={config.data.longestSite}
        />
      )}
    </>
  );
}
