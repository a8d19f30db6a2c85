import { Select } from "@codegouvfr/react-dsfr/Select";
import { useQuery } from "@tanstack/react-query";
import { lazy, type ReactNode, Suspense, useState } from "react";
import { agendaRoutes } from "../../../common/agenda/agenda.routes";
import { addDays } from "../../../common/calendar";
import { structuresRoutes } from "../../../common/structures/structures.routes";
import { call } from "../../api/client";
import { useSession } from "../../api/session";
import { parisDayOf } from "../../components/dates";
import { ErrorAlert } from "../../components/ErrorAlert";
import { usePageTitle } from "../../components/pageTitle";
import { ConvocationTable } from "./ConvocationTable";

const WeekCalendar = lazy(() => import("./WeekCalendar"));

/** The counselor's and CPIP's agenda: what is to fill in, today, and the next seven days. */
export function AgendaPage(): ReactNode {
  usePageTitle("Convocations");
  const { structureId } = useSession();
  const [siteId, setSiteId] = useState("");
  const today = parisDayOf();
  const overview = useQuery({
    queryKey: ["structure", structureId],
    queryFn: () => call(structuresRoutes.overview, { params: { structureId: structureId ?? "" } }),
    enabled: Boolean(structureId),
  });
  const toFillIn = useQuery({
    queryKey: ["convocations", "toFillIn", siteId],
    queryFn: () => call(agendaRoutes.list, { query: { toFillIn: "true", siteId: siteId || undefined } }),
  });
  const week = useQuery({
    queryKey: ["convocations", "week", siteId, today],
    queryFn: () =>
      call(agendaRoutes.list, { query: { from: today, to: addDays(today, 6), siteId: siteId || undefined } }),
  });
  const todays = week.data?.convocations.filter((c) => parisDayOf(c.startsAt) === today) ?? [];
  return (
    <>
      <h1>Convocations</h1>
      <Select
        label="Lieu de permanence"
        nativeSelectProps={{ value: siteId, onChange: (e) => setSiteId(e.target.value) }}
      >
        <option value="">Tous les lieux</option>
        {overview.data?.sites.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </Select>
      <ErrorAlert error={toFillIn.error ?? week.error} />
      <h2>À renseigner ({toFillIn.data?.convocations.length ?? "…"})</h2>
      {toFillIn.data && (
        <ConvocationTable
          caption="Convocations passées encore prévues"
          convocations={toFillIn.data.convocations}
          emptyText="Rien à renseigner : toutes les convocations passées ont un statut."
        />
      )}
      <h2>Aujourd'hui</h2>
      {week.data && (
        <ConvocationTable
          caption="Convocations du jour"
          convocations={todays}
          emptyText="Aucune convocation aujourd'hui."
        />
      )}
      <h2>Calendrier de la semaine</h2>
      <Suspense fallback={<p>Chargement du calendrier…</p>}>
        <WeekCalendar siteId={siteId} />
      </Suspense>
      <h2>Les sept prochains jours</h2>
      {week.data && (
        <ConvocationTable
          caption="Convocations de la semaine"
          convocations={week.data.convocations}
          emptyText="Aucune convocation dans les sept prochains jours."
        />
      )}
    </>
  );
}
