import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useState } from "react";
import { detentionRoutes } from "../../../common/detention/detention.routes";
import { detentionSettingsSchema, RELEASE_PLAN_DAYS } from "../../../common/detention/detention.schema";
import { typedNumber } from "../../../common/fields";
import { call } from "../../api/client";
import { useMutation } from "../../api/useMutation";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useFormErrors } from "../../components/form/useFormErrors";

/** The direction sets how long before the expected release the "préparer la sortie" plan shows. */
export function ReleasePlanDelaySection({ structureId }: { structureId: string }): ReactNode {
  const queryClient = useQueryClient();
  const settings = useQuery({
    queryKey: ["detention-settings", structureId],
    queryFn: () => call(detentionRoutes.settings, { params: { structureId } }),
  });
  const [value, setValue] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const errors = useFormErrors("release-plan-delay", {
    releasePlanDays: "Délai du plan de sortie (jours)",
  });
  const shown = value ?? (settings.data ? String(settings.data.releasePlanDays) : "");
  const save = useMutation({
    mutationFn: () =>
      call(detentionRoutes.saveSettings, {
        params: { structureId },
        body: { releasePlanDays: typedNumber(shown) },
      }),
    onSuccess: async () => {
      setSaved(true);
      setValue(null);
      await queryClient.invalidateQueries({ queryKey: ["detention-settings"] });
      await queryClient.invalidateQueries({ queryKey: ["release-plan"] });
    },
    onError: errors.showApiError,
  });
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    setSaved(false);
    if (errors.check(detentionSettingsSchema, { releasePlanDays: typedNumber(shown) })) save.mutate();
  };
  return (
    <section aria-labelledby="release-delay-title" className="fr-mb-6w">
      <h2 id="release-delay-title">Préparer la sortie</h2>
      <p>
        Le plan « préparer la sortie » (carte d'identité, domiciliation, couverture santé, RSA, France
        Travail, compte bancaire, hébergement, IAE) apparaît dans le dossier d'une personne détenue ce nombre
        de jours avant sa date de libération prévue. Le référent et les conseillers sont prévenus à 90, 30 et
        7 jours tant que des démarches restent à faire.
      </p>
      <ErrorAlert error={settings.error} />
      {settings.data && (
        <form
          onSubmit={submit}
          noValidate
          aria-label="Délai du plan de sortie"
          className="fr-col-12 fr-col-md-8"
        >
          {errors.summary}
          <Input
            label="Afficher le plan de sortie à partir de (jours avant la libération)"
            hintText={`Entre ${RELEASE_PLAN_DAYS.min} et ${RELEASE_PLAN_DAYS.max} jours ; ${RELEASE_PLAN_DAYS.default} par défaut.`}
            {...errors.state("releasePlanDays")}
            nativeInputProps={{
              ...errors.native("releasePlanDays"),
              inputMode: "numeric",
              value: shown,
              onChange: (e) => {
                setSaved(false);
                setValue(e.target.value);
              },
            }}
          />
          <Button type="submit" priority="secondary" size="small" disabled={save.isPending}>
            Enregistrer le délai
          </Button>
          {saved && (
            <p role="status" className="fr-mt-1w">
              Délai enregistré : le plan s'affiche désormais {shown} jours avant la libération.
            </p>
          )}
        </form>
      )}
    </section>
  );
}
