import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useState } from "react";
import { Link } from "react-router";
import { needDomains } from "../../../common/agenda/agenda.schema";
import { conventionsRoutes } from "../../../common/conventions/conventions.routes";
import {
  ALERT_DAYS,
  type ConventionLevel,
  type ConventionStatus,
  conventionLevelLabels,
  conventionLevels,
  conventionSettingsSchema,
  conventionStatuses,
  conventionStatusLabels,
  conventionThemeLabels,
} from "../../../common/conventions/conventions.schema";
import { typedNumber } from "../../../common/fields";
import { call } from "../../api/client";
import { useSession } from "../../api/session";
import { useMutation } from "../../api/useMutation";
import { formatShortDate } from "../../components/dates";
import { ErrorAlert } from "../../components/ErrorAlert";
import { FilterSelect } from "../../components/FilterSelect";
import { useFormErrors } from "../../components/form/useFormErrors";
import { usePageTitle } from "../../components/pageTitle";
import { ScrollableTable } from "../../components/ScrollableTable";
import { useAddressFilters } from "../../components/useAddressFilters";
import { FundingsSection } from "./FundingsSection";

type Theme = (typeof needDomains)[number];

export const statusSeverity: Record<ConventionStatus, "info" | "success" | "error" | "warning" | "new"> = {
  draft: "new",
  signed: "success",
  to_renew: "warning",
  expired: "error",
  ended: "info",
};

export function StatusBadge({ status }: { status: ConventionStatus }): ReactNode {
  return (
    <Badge small severity={statusSeverity[status]}>
      {conventionStatusLabels[status]}
    </Badge>
  );
}

function AlertDelayForm({ structureId, alertDays }: { structureId: string; alertDays: number }): ReactNode {
  const queryClient = useQueryClient();
  const [value, setValue] = useState(String(alertDays));
  const [saved, setSaved] = useState(false);
  const errors = useFormErrors("convention-settings", { alertDays: "Délai d'alerte (jours)" });
  const save = useMutation({
    mutationFn: () =>
      call(conventionsRoutes.saveSettings, {
        params: { structureId },
        body: { alertDays: typedNumber(value) },
      }),
    onSuccess: async () => {
      setSaved(true);
      await queryClient.invalidateQueries({ queryKey: ["conventions"] });
    },
    onError: errors.showApiError,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    if (errors.check(conventionSettingsSchema, { alertDays: typedNumber(value) })) save.mutate();
  };
  return (
    <form onSubmit={submit} noValidate aria-label="Délai d'alerte" className="fr-mb-4w fr-col-12 fr-col-md-8">
      {errors.summary}
      <Input
        label="Délai d'alerte avant la fin d'une convention (jours)"
        hintText={`Entre ${ALERT_DAYS.min} et ${ALERT_DAYS.max} jours ; ${ALERT_DAYS.default} par défaut. La direction est aussi prévenue 30 jours avant et le jour de la fin.`}
        {...errors.state("alertDays")}
        nativeInputProps={{
          ...errors.native("alertDays"),
          inputMode: "numeric",
          value,
          onChange: (e) => setValue(e.target.value),
        }}
      />
      <Button type="submit" priority="secondary" size="small" disabled={save.isPending}>
        Enregistrer le délai
      </Button>
      {saved && (
        <p role="status" className="fr-mt-1w">
          Délai enregistré.
        </p>
      )}
    </form>
  );
}

/** The register of conventions: statuses, filters; the direction records, renews, ends. */
export function ConventionsPage(): ReactNode {
  usePageTitle("Conventions");
  const { structureId } = useSession();
  // The filters are in the address: back from a convention finds the list as it was.
  const filters = useAddressFilters();
  const status = filters.choice("statut", conventionStatuses);
  const level = filters.choice("niveau", conventionLevels);
  const theme = filters.choice("thematique", needDomains);
  const setStatus = (value: ConventionStatus | "") => filters.set({ statut: value });
  const setLevel = (value: ConventionLevel | "") => filters.set({ niveau: value });
  const setTheme = (value: Theme | "") => filters.set({ thematique: value });
  const query = useQuery({
    queryKey: ["conventions", structureId, status, level, theme],
    queryFn: () =>
      call(conventionsRoutes.list, {
        params: { structureId: structureId ?? "" },
        query: { status: status || undefined, level: level || undefined, theme: theme || undefined },
      }),
    enabled: Boolean(structureId),
  });
  if (!structureId) return null;
  const data = query.data;
  return (
    <>
      <h1>Conventions</h1>
      <p>
        Le registre des conventions de partenariat de la structure : parties, niveau, dates, renouvellement.
        Une convention signée est « à renouveler » quand sa fin approche (délai d'alerte), « expirée » une
        fois la date de fin passée.
      </p>
      {data?.permissions.edit && (
        <Button linkProps={{ to: "/conventions/nouvelle" }} iconId="fr-icon-add-line" className="fr-mb-3w">
          Enregistrer une convention
        </Button>
      )}
      <div className="fr-grid-row fr-grid-row--gutters fr-mb-3w">
        <div className="fr-col-12 fr-col-md-4">
          <FilterSelect
            label="Statut"
            value={status}
            values={conventionStatuses}
            labels={conventionStatusLabels}
            onChange={setStatus}
          />
        </div>
        <div className="fr-col-12 fr-col-md-4">
          <FilterSelect
            label="Niveau"
            value={level}
            values={conventionLevels}
            labels={conventionLevelLabels}
            onChange={setLevel}
          />
        </div>
        <div className="fr-col-12 fr-col-md-4">
          <FilterSelect
            label="Thématique"
            value={theme}
            values={needDomains}
            labels={conventionThemeLabels}
            onChange={setTheme}
          />
        </div>
      </div>
      <ErrorAlert error={query.error} />
      {data && data.conventions.length === 0 && <p>Aucune convention ne correspond à ces filtres.</p>}
      {data && data.conventions.length > 0 && (
        <ScrollableTable
          stacked
          caption={`${data.conventions.length} convention${data.conventions.length > 1 ? "s" : ""}`}
          headers={["Convention", "Parties", "Niveau", "Fin", "Statut"]}
          data={data.conventions.map((c) => [
            <Link key="title" to={`/conventions/${c.id}`}>
              {c.title}
            </Link>,
            c.parties.map((p) => p.label).join(", ") || "—",
            conventionLevelLabels[c.level],
            c.endsOn ? formatShortDate(c.endsOn) : "—",
            <StatusBadge key="status" status={c.status} />,
          ])}
        />
      )}
      {data?.permissions.edit && <FundingsSection structureId={structureId} />}
      {data?.permissions.edit && (
        <>
          <h2 className="fr-mt-6w">Alertes</h2>
          <AlertDelayForm key={data.alertDays} structureId={structureId} alertDays={data.alertDays} />
        </>
      )}
    </>
  );
}
