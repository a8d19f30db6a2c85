import "react-big-calendar/lib/css/react-big-calendar.css";
import "./calendar.css";
import { useQuery } from "@tanstack/react-query";
import { format, getDay, parse, startOfWeek } from "date-fns";
import { fr } from "date-fns/locale";
import {
  type ReactNode,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
} from "react";
import { Calendar, dateFnsLocalizer, type Formats, type View } from "react-big-calendar";
import { useNavigate } from "react-router";
import { actionsRoutes } from "../../../common/actions/actions.routes";
import { agendaRoutes } from "../../../common/agenda/agenda.routes";
import { addDays } from "../../../common/calendar";
import { formatDayRange } from "../../../common/dateFormat";
import { publicHolidays } from "../../../common/holidays";
import { call } from "../../api/client";
import { useSession } from "../../api/session";
import { dayOfMonth, parisDayOf } from "../../components/dates";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useFocusWhenShown } from "../../components/useFocusWhenShown";
import {
  type CalendarEvent,
  convocationEvent,
  GroupEventWrapper,
  groupEvent,
  OpenGroupDay,
  PersonName,
} from "./ConvocationGroup";
import { BASE_HOUR_PX, hourHeight, overlapGroups } from "./calendarGroups";
import { gridHours } from "./calendarHours";
import { stepDay, weekendDaysToShow, weekOf } from "./period";

const localizer = dateFnsLocalizer({
  format,
  parse,
  startOfWeek: (date: Date) => startOfWeek(date, { weekStartsOn: 1 }),
  getDay,
  locales: { fr },
});

const messages = {
  date: "Date",
  time: "Heure",
  event: "Convocation",
  allDay: "Journée",
  week: "Semaine",
  day: "Jour",
  month: "Mois",
  previous: "Précédent",
  next: "Suivant",
  today: "Aujourd'hui",
  noEventsInRange: "Aucune convocation sur cette période.",
  showMore: (count: number) => `+ ${count} autres`,
};

/** The app's date family ("lundi 1er", "9 h 00"): the calendar shows the browser's clock, Paris for agents. */
const hour = (date: Date): string => format(date, "H'\u00a0h\u00a0'mm");
const hourRange = ({ start, end }: { start: Date; end: Date }): string => `${hour(start)} – ${hour(end)}`;
const weekdayAndDay = (date: Date): string =>
  `${format(date, "EEEE", { locale: fr })} ${dayOfMonth(date.getDate())}`;
/** The calendar day of a date of the grid (drawn in the browser's clock). */
const calendarDay = (date: Date): string => format(date, "yyyy-MM-dd");

/** On a phone a week column is ~60 px wide: "mer. 2" fits where "mercredi 2" was cut. */
const shortWeekdayAndDay = (date: Date): string => `${format(date, "EEE", { locale: fr })} ${date.getDate()}`;

const formats: Formats = {
  dayFormat: weekdayAndDay,
  dayHeaderFormat: (date) => `${weekdayAndDay(date)} ${format(date, "MMMM yyyy", { locale: fr })}`,
  // The week as the list writes it: "du lundi 7 au dimanche 13 décembre 2026".
  dayRangeHeaderFormat: ({ start, end }) => formatDayRange(calendarDay(start), calendarDay(end)),
  timeGutterFormat: hour,
  eventTimeRangeFormat: hourRange,
};
const narrowFormats: Formats = {
  ...formats,
  dayFormat: shortWeekdayAndDay,
  // In a phone's week column the start fits on one line; the day view has room for the end.
  eventTimeRangeFormat: ({ start }) => hour(start),
};

const NARROW_SCREEN = "(max-width: 767.98px)";

/** Whether a media query matches now, followed live (a window narrowed or widened, a phone turned). */
function useMediaQuery(query: string): boolean {
  return useSyncExternalStore(
    (onChange) => {
      const list = window.matchMedia(query);
      list.addEventListener("change", onChange);
      return () => list.removeEventListener("change", onChange);
    },
    () => window.matchMedia(query).matches,
  );
}

/** A block this short (in minutes) has room for the person and the place, not for its time too. */
const SHORT_EVENT_MINUTES = 30;

/** The room the toolbar and the days' header take above the grid. */
const ABOVE_GRID_PX = 110;

/** The days a calendar view shows around `date`, as the convocation list's from/to. */
function rangeOf(date: Date, view: View): { from: string; to: string } {
  const day = parisDayOf(date.toISOString());
  if (view === "day") return { from: day, to: day };
  const monday = parisDayOf(startOfWeek(date, { weekStartsOn: 1 }).toISOString());
  return { from: monday, to: addDays(monday, 6) };
}

/**
 * The week of the counselors (a maintained calendar component), loaded only when shown. It opens on
 * `day` (the page's address) and says where the agent goes (`onDayChange`), so the list and the
 * calendar show the same week. Monday to Friday, plus the Saturday or Sunday where a permanence opens
 * or an appointment falls.
 */
export default function WeekCalendar({
  siteId,
  day,
  onDayChange,
}: {
  siteId: string;
  day: string;
  onDayChange: (day: string) => void;
}): ReactNode {
  const navigate = useNavigate();
  // Noon in the browser's clock: the same calendar day whatever its time zone.
  const date = useMemo(() => new Date(`${day}T12:00:00`), [day]);
  // Under 768 px five columns cannot show a readable appointment: one day comes first. (The list of
  // convocations is the page's other display, not a view of the calendar.)
  // The choice follows the window: narrowed to a phone's width the day comes, widened the week.
  const narrow = useMediaQuery(NARROW_SCREEN);
  const [view, setView] = useState<View>(narrow ? "day" : "week");
  useEffect(() => setView(narrow ? "day" : "week"), [narrow]);
  const range = rangeOf(date, view);
  const query = useQuery({
    queryKey: ["convocations", "calendar", siteId, range.from, range.to],
    queryFn: () => call(agendaRoutes.list, { query: { ...range, siteId: siteId || undefined } }),
  });
  const { structureId, departement } = useSession();
  const actions = useQuery({
    queryKey: ["actions", structureId, "calendar"],
    queryFn: async () => {
      const [upcoming, past] = await Promise.all(
        (["upcoming", "past"] as const).map((when) =>
          call(actionsRoutes.list, { params: { structureId: structureId ?? "" }, query: { when } }),
        ),
      );
      return [...(upcoming?.actions ?? []), ...(past?.actions ?? [])];
    },
    enabled: Boolean(structureId),
  });
  // The permanences' rules say which weekend days open (a role without them sees the appointments' days).
  const openings = useQuery({
    queryKey: ["openings", structureId],
    queryFn: () => call(agendaRoutes.openings, { params: { structureId: structureId ?? "" } }),
    enabled: Boolean(structureId),
    retry: false,
  });
  const events = useMemo<CalendarEvent[]>(
    () => [
      // The convocations (to permanences and to actions), those at the same time as one list, then
      // the actions themselves.
      ...overlapGroups((query.data?.convocations ?? []).map(convocationEvent)).map((group) =>
        group.length === 1 ? group[0]! : groupEvent(group),
      ),
      ...(actions.data ?? [])
        .filter((a) => a.status !== "cancelled")
        .map((a) => ({
          title: `Action collective : ${a.title} · ${a.place}`,
          lines: [`Action collective : ${a.title}`, a.place],
          start: new Date(a.startsAt),
          end: new Date(a.endsAt),
          actionId: a.id,
        })),
    ],
    [query.data, actions.data],
  );
  const rules = useMemo(
    () => (openings.data?.rules ?? []).filter((r) => !siteId || r.siteId === siteId),
    [openings.data, siteId],
  );
  // The public holidays around the day shown (a step may cross into the next or the last year).
  const year = Number(day.slice(0, 4));
  const holidays = useMemo(
    () => publicHolidays([year - 1, year, year + 1], departement ?? ""),
    [year, departement],
  );
  const weekend = useMemo(() => {
    const starts = events.map((e) => e.start.toISOString());
    return new Set(weekendDaysToShow(weekOf(day), starts, rules));
  }, [events, rules, day]);
  // A day without anything says so rather than showing an empty grid.
  const emptyDay =
    view === "day" && query.isSuccess && !events.some((e) => calendarDay(e.start) === calendarDay(date));
  // A phone's week has columns of ~45 px: a group there is a count that opens its day (OpenGroupDay),
  // whose list then takes the focus.
  const narrowWeek = narrow && view === "week";
  const [focusGroup, setFocusGroup] = useState<string | null>(null);
  const openGroupDay = useCallback(
    (start: Date) => {
      setView("day");
      setFocusGroup(start.toISOString());
      onDayChange(parisDayOf(start.toISOString()));
    },
    [onDayChange],
  );
  useEffect(() => {
    if (!focusGroup || view !== "day") return;
    const first = document.querySelector<HTMLElement>(`[data-group-start="${focusGroup}"] a`);
    if (!first) return;
    first.focus();
    setFocusGroup(null);
  });
  // « Aujourd'hui » (even on the day or week already shown) brings today into view with the focus:
  // its day's header, or the empty day's message; the week's title when today is a closed weekend day.
  const todayBox = useRef<HTMLDivElement>(null);
  const focusToday = useFocusWhenShown(() => {
    const today = parisDayOf();
    // Another day or week still drawn: its turn comes at the next render.
    if (today < range.from || range.to < today) return null;
    if (emptyDay) return todayBox.current;
    const header = document.querySelector<HTMLElement>(".passerelle-calendar .rbc-header.rbc-today");
    if (header?.offsetParent) return header.querySelector<HTMLElement>("button") ?? header;
    const title = document.querySelector<HTMLElement>(".passerelle-calendar .rbc-toolbar-label");
    title?.setAttribute("tabindex", "-1");
    return title;
  }, query.isSuccess);
  const hours = useMemo(() => gridHours(events, rules), [events, rules]);
  const hourPx = useMemo(
    () =>
      narrowWeek
        ? BASE_HOUR_PX
        : hourHeight(events.map((e) => ({ start: e.start, end: e.end, count: e.group?.length ?? 1 }))),
    [events, narrowWeek],
  );
  return (
    <div className={`passerelle-calendar${emptyDay ? " passerelle-calendar--empty" : ""}`}>
      <ErrorAlert error={query.error} />
      <OpenGroupDay.Provider value={narrowWeek ? openGroupDay : null}>
        <Calendar<CalendarEvent>
          localizer={localizer}
          culture="fr"
          messages={messages}
          formats={narrow ? narrowFormats : formats}
          events={events}
          date={date}
          view={view}
          views={["week", "day"]}
          // In the day view "Précédent" and "Suivant" skip the days without permanence (a weekend
          // without opening, a public holiday): Friday's "Suivant" is Monday.
          onNavigate={(next, _view, action) => {
            onDayChange(
              view === "day" && (action === "PREV" || action === "NEXT")
                ? stepDay(day, action === "NEXT" ? 1 : -1, rules, holidays)
                : parisDayOf(next.toISOString()),
            );
            if (action === "TODAY") focusToday();
          }}
          onView={setView}
          min={new Date(1970, 0, 1, hours.first, 0)}
          max={hours.last >= 24 ? new Date(1970, 0, 1, 23, 59) : new Date(1970, 0, 1, hours.last, 0)}
          // Side by side, never drawn over one another (an action beside the convocations of its hour).
          dayLayoutAlgorithm="no-overlap"
          step={15}
          timeslots={4}
          onSelectEvent={(event) =>
            navigate(
              event.actionId ? `/actions/${event.actionId}` : `/personnes/${event.convocation?.personId}`,
            )
          }
          // Saturday and Sunday stay out of the week unless something happens on them.
          dayPropGetter={(shown) =>
            view === "week" && [0, 6].includes(shown.getDay()) && !weekend.has(calendarDay(shown))
              ? { className: "passerelle-day--closed" }
              : {}
          }
          eventPropGetter={(event) => ({
            className: `${
              event.convocation ? `passerelle-event--${event.convocation.status}` : "passerelle-event--action"
            }${
              event.end.getTime() - event.start.getTime() <= SHORT_EVENT_MINUTES * 60_000
                ? " passerelle-event--short"
                : ""
            }`,
          })}
          // About 90 px an hour: a 45-minute appointment has room for its time, person and place; more
          // where several people share an hour, so that their list shows every one.
          style={{ height: emptyDay ? "auto" : ABOVE_GRID_PX + (hours.last - hours.first) * hourPx }}
          // The default day header is a span role="columnheader" inside a button, outside any row:
          // invalid ARIA. A plain label keeps the button accessible.
          components={{
            header: ({ label }) => <span>{label}</span>,
            eventWrapper: GroupEventWrapper,
            event: ({ event }) => (
              <>
                {event.lines.map((line, index) =>
                  index === 0 && event.convocation ? (
                    <PersonName key={line} name={line} className="passerelle-event-line" />
                  ) : (
                    <span key={line} className="passerelle-event-line">
                      {line}
                    </span>
                  ),
                )}
              </>
            ),
          }}
        />
      </OpenGroupDay.Provider>
      <div aria-live="polite">
        {emptyDay && (
          <div className="passerelle-calendar-empty" ref={todayBox} tabIndex={-1}>
            <p className="fr-icon-calendar-line fr-mb-0">Aucune convocation ce jour.</p>
          </div>
        )}
      </div>
    </div>
  );
}
