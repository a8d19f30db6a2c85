import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { SegmentedControl } from "@codegouvfr/react-dsfr/SegmentedControl";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useQuery } from "@tanstack/react-query";
import { lazy, type ReactNode, Suspense, useState } from "react";
import { agendaRoutes } from "../../../common/agenda/agenda.routes";
import type { ConvocationView } from "../../../common/agenda/agenda.schema";
import { addDays } from "../../../common/calendar";
import { structuresRoutes } from "../../../common/structures/structures.routes";
import { call } from "../../api/client";
import { useSession } from "../../api/session";
import { parisDayOf } from "../../components/dates";
import { ErrorAlert } from "../../components/ErrorAlert";
import { usePageTitle } from "../../components/pageTitle";
import { ConvocationTable } from "./ConvocationTable";

const WeekCalendar = lazy(() => import("./WeekCalendar"));

/** Past convocations still to fill in, then today and the next six days: each convocation once. */
function merged(toFillIn: ConvocationView[], week: ConvocationView[]): ConvocationView[] {
  const byId = new Map<string, ConvocationView>();
  for (const c of [...toFillIn, ...week]) byId.set(c.id, c);
  return [...byId.values()];
}

/**
 * The counselor's and CPIP's agenda: one list grouped by day then time, each convocation once with
 * its actions once; "à renseigner" is a badge and a filter, not a second copy. The week calendar is
 * another view of the same list, never shown beside it.
 */
export function AgendaPage(): ReactNode {
  usePageTitle("Convocations");
  const { structureId } = useSession();
  const [siteId, setSiteId] = useState("");
  const [onlyToFillIn, setOnlyToFillIn] = useState(false);
  const [view, setView] = useState<"list" | "calendar">("list");
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
  const toFill = toFillIn.data?.convocations ?? [];
  const all = merged(toFill, week.data?.convocations ?? []);
  const shown = onlyToFillIn ? all.filter((c) => c.toFillIn) : all;
  return (
    <>
      <h1>Convocations</h1>
      <div className="fr-grid-row fr-grid-row--gutters fr-grid-row--bottom">
        <div className="fr-col-12 fr-col-md-5">
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
        </div>
        <div className="fr-col-12 fr-col-md-7">
          <SegmentedControl
            legend="Affichage"
            small
            segments={[
              {
                label: "Liste",
                nativeInputProps: { checked: view === "list", onChange: () => setView("list") },
              },
              {
                label: "Calendrier de la semaine",
                nativeInputProps: { checked: view === "calendar", onChange: () => setView("calendar") },
              },
            ]}
          />
        </div>
      </div>
      <ErrorAlert error={toFillIn.error ?? week.error} />
      {view === "calendar" ? (
        <Suspense fallback={<p>Chargement du calendrier…</p>}>
          <WeekCalendar siteId={siteId} />
        </Suspense>
      ) : (
        <>
          <Checkbox
            className="fr-mt-3w fr-mb-3w"
            options={[
              {
                label: `Seulement les convocations passées à renseigner (${toFillIn.data ? toFill.length : "…"})`,
                nativeInputProps: {
                  checked: onlyToFillIn,
                  onChange: (e) => setOnlyToFillIn(e.target.checked),
                },
              },
            ]}
          />
          {toFillIn.data && week.data ? (
            <ConvocationTable
              byDay
              headingLevel="h2"
              caption="Convocations"
              convocations={shown}
              emptyText={
                onlyToFillIn
                  ? "Rien à renseigner : toutes les convocations passées ont un statut."
                  : "Aucune convocation à renseigner ni dans les sept prochains jours."
              }
            />
          ) : (
            <p>Chargement…</p>
          )}
        </>
      )}
    </>
  );
}
