import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { SegmentedControl } from "@codegouvfr/react-dsfr/SegmentedControl";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useQuery } from "@tanstack/react-query";
import { lazy, type ReactNode, Suspense } from "react";
import { agendaRoutes } from "../../../common/agenda/agenda.routes";
import { addDays } from "../../../common/calendar";
import { formatDayRange } from "../../../common/dateFormat";
import { structuresRoutes } from "../../../common/structures/structures.routes";
import { call } from "../../api/client";
import { useSession } from "../../api/session";
import { parisDayOf } from "../../components/dates";
import { ErrorAlert } from "../../components/ErrorAlert";
import { usePageTitle } from "../../components/pageTitle";
import { useAddressFilters } from "../../components/useAddressFilters";
import { useFocusWhenShown } from "../../components/useFocusWhenShown";
import { NOTHING_TO_FILL_IN } from "../home/toFillIn";
import { ConvocationTable, TODAY_ID } from "./ConvocationTable";
import { dayFromParam, isInWeek, type Week, weekOf } from "./period";

const WeekCalendar = lazy(() => import("./WeekCalendar"));

/**
 * "Semaine précédente", "Aujourd'hui", "Semaine suivante" around the shown week. "Aujourd'hui" also
 * brings today's day into view and gives it the focus (`goToday`), the current week shown or not.
 */
function WeekNavigation({
  week,
  goTo,
  goToday,
}: {
  week: Week;
  goTo: (day: string | null) => void;
  goToday: () => void;
}): ReactNode {
  const label = formatDayRange(week.from, week.to);
  return (
    <div className="passerelle-week-nav fr-mt-4w">
      <h2 className="fr-h4 fr-mb-2w" id="agenda-week" aria-live="polite">
        Semaine {label}
      </h2>
      <ul className="fr-btns-group fr-btns-group--inline fr-btns-group--sm fr-btns-group--icon-left">
        <li>
          <Button
            priority="secondary"
            iconId="fr-icon-arrow-left-line"
            onClick={() => goTo(addDays(week.from, -7))}
          >
            Semaine précédente
          </Button>
        </li>
        <li>
          <Button priority="tertiary" onClick={goToday}>
            Aujourd'hui
          </Button>
        </li>
        <li>
          <Button
            priority="secondary"
            iconId="fr-icon-arrow-right-line"
            iconPosition="right"
            onClick={() => goTo(addDays(week.from, 7))}
          >
            Semaine suivante
          </Button>
        </li>
      </ul>
    </div>
  );
}

/** The sites of a counselor's permanences over the days listed; undefined when not a counselor's agenda. */
function permanenceSites(days: { day: string; sites: { id: string }[] }[] | null): Set<string> | undefined {
  return days ? new Set(days.flatMap((d) => d.sites.map((s) => s.id))) : undefined;
}

/**
 * A counselor's agenda says what it holds: her permanences' sites only (the server's rule, ADR 0014
 * addendum of 2026-12-06), not the rest of the structure's day.
 */
function OwnPermanences({
  sites,
  alsoReferent,
}: {
  sites: { id: string; name: string }[];
  /** Also a CPIP: the people they refer are listed wherever they are convoked. */
  alsoReferent: boolean;
}): ReactNode {
  return (
    <p className="fr-text--sm fr-icon-information-line fr-mb-2w">
      {" "}
      Comme conseiller ou conseillère, vous voyez les convocations des lieux où vous tenez une permanence ce
      jour-là
      {sites.length > 0 ? ` (cette semaine : ${sites.map((s) => s.name).join(", ")})` : ""}
      {alsoReferent ? ", et celles des personnes dont vous êtes référent ou référente" : ""}. Les autres
      convocations de la structure ne sont pas affichées.
    </p>
  );
}

/**
 * The counselor's and CPIP's agenda: the past convocations still to fill in, then one week (Monday
 * to Sunday, `?du=` in the address, this week by default) grouped by day then time. Each convocation
 * is shown once with its actions once; "à renseigner" is a badge and a filter, not a second copy. The
 * week calendar is another view of the same week (`?vue=calendrier`), never shown beside it.
 */
export function AgendaPage(): ReactNode {
  usePageTitle("Convocations");
  const { structureId, roles } = useSession();
  // The shown day (any day of the week; absent: today), view, site and "à renseigner" are in the
  // address: reload and back from a convocation keep them.
  const filters = useAddressFilters();
  const view = filters.choice("vue", ["calendrier"] as const) ? "calendar" : "list";
  const onlyToFillIn = filters.choice("a-renseigner", ["oui"] as const) === "oui";
  const today = parisDayOf();
  const day = dayFromParam(filters.text("du") || null, today);
  const week = weekOf(day);
  const update = filters.set;
  const overview = useQuery({
    queryKey: ["structure", structureId],
    queryFn: () => call(structuresRoutes.overview, { params: { structureId: structureId ?? "" } }),
    enabled: Boolean(structureId),
  });
  // The address's site once the structure's sites are known: one it does not have (a hand-edited or
  // foreign link) reads as all the sites.
  const siteParam = filters.text("lieu");
  const siteKnown = !siteParam || !overview.isPending;
  const siteId = overview.data?.sites.some((s) => s.id === siteParam) ? siteParam : "";
  const toFillIn = useQuery({
    queryKey: ["convocations", "toFillIn", siteId],
    queryFn: () => call(agendaRoutes.list, { query: { toFillIn: "true", siteId: siteId || undefined } }),
    enabled: siteKnown,
  });
  const ofWeek = useQuery({
    queryKey: ["convocations", "week", siteId, week.from],
    queryFn: () =>
      call(agendaRoutes.list, { query: { from: week.from, to: week.to, siteId: siteId || undefined } }),
    enabled: view === "list" && siteKnown,
  });
  // Today's day, in the current week's list (its heading, or the empty week's text).
  const focusToday = useFocusWhenShown(() => document.getElementById(TODAY_ID));
  const goToday = (): void => {
    if (filters.text("du")) update({ du: "" });
    focusToday();
  };
  const toFill = toFillIn.data?.convocations ?? [];
  // The week's own convocations to fill in are in the week; the others stand before it.
  const toFillElsewhere = toFill.filter((c) => !isInWeek(c.startsAt, week));
  const period = formatDayRange(week.from, week.to);
  // A counselor's agenda (the server lists her permanences' sites only): which ones this week.
  const permanenceDays = ofWeek.data?.permanenceDays ?? null;
  const ownSites = permanenceSites(permanenceDays);
  const siteOptions =
    view === "list" && ownSites
      ? (overview.data?.sites ?? []).filter((s) => ownSites.has(s.id) || s.id === siteId)
      : (overview.data?.sites ?? []);
  const todayHeld = permanenceDays?.find((d) => d.day === today);
  return (
    <>
      <h1>Convocations</h1>
      <div className="fr-grid-row fr-grid-row--gutters fr-grid-row--bottom">
        <div className="fr-col-12 fr-col-md-5">
          <Select
            label="Lieu de permanence"
            nativeSelectProps={{ value: siteId, onChange: (e) => update({ lieu: e.target.value }) }}
          >
            <option value="">{ownSites ? "Tous vos lieux de permanence" : "Tous les lieux"}</option>
            {siteOptions.map((s) => (
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
                nativeInputProps: { checked: view === "list", onChange: () => update({ vue: "" }) },
              },
              {
                label: "Calendrier de la semaine",
                nativeInputProps: {
                  checked: view === "calendar",
                  onChange: () => update({ vue: "calendrier" }),
                },
              },
            ]}
          />
        </div>
      </div>
      <ErrorAlert error={toFillIn.error ?? ofWeek.error ?? overview.error} />
      {!siteKnown ? (
        <p>Chargement…</p>
      ) : view === "calendar" ? (
        <Suspense fallback={<p>Chargement du calendrier…</p>}>
          <WeekCalendar siteId={siteId} day={day} onDayChange={(day) => update({ du: day })} />
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
                  onChange: (e) => update({ "a-renseigner": e.target.checked ? "oui" : "" }),
                },
              },
            ]}
          />
          {!toFillIn.data || (!onlyToFillIn && !ofWeek.data) ? (
            <p>Chargement…</p>
          ) : onlyToFillIn ? (
            <ConvocationTable
              byDay
              headingLevel="h2"
              caption="Convocations passées à renseigner"
              convocations={toFill}
              emptyText={NOTHING_TO_FILL_IN}
            />
          ) : (
            <>
              {toFillElsewhere.length > 0 && (
                <section aria-labelledby="agenda-to-fill-in">
                  <h2 className="fr-h4" id="agenda-to-fill-in">
                    À renseigner, hors de la semaine affichée
                  </h2>
                  <ConvocationTable
                    byDay
                    caption="Convocations passées à renseigner"
                    convocations={toFillElsewhere}
                    emptyText=""
                  />
                </section>
              )}
              <section aria-labelledby="agenda-week">
                <WeekNavigation week={week} goTo={(day) => update({ du: day ?? "" })} goToday={goToday} />
                {ownSites && (
                  <OwnPermanences
                    sites={siteOptions.filter((s) => ownSites.has(s.id))}
                    alsoReferent={roles.includes("probation_officer")}
                  />
                )}
                <ConvocationTable
                  byDay
                  today={week.from <= today && today <= week.to ? today : undefined}
                  todayEmptyText={
                    todayHeld && todayHeld.sites.length === 0
                      ? "Vous ne tenez pas de permanence aujourd'hui."
                      : undefined
                  }
                  caption={`Convocations ${period}`}
                  convocations={ofWeek.data?.convocations ?? []}
                  emptyText={
                    ownSites && ownSites.size === 0
                      ? `Vous ne tenez aucune permanence ${period} : pas de convocation à afficher.`
                      : `Aucune convocation ${period}.`
                  }
                />
              </section>
            </>
          )}
        </>
      )}
    </>
  );
}
