/** The week calendar's blocks of convocations: one alone, or several at the same time as one list. */
import { createContext, type ReactNode, useContext } from "react";
import type { EventWrapperProps } from "react-big-calendar";
import { Link } from "react-router";
import { type ConvocationView, convocationStatusLabels } from "../../../common/agenda/agenda.schema";
import { byFrench } from "../../../common/frenchOrder";
import { plural } from "../../../common/plural";
import { formatDay, formatTime } from "../../components/dates";
import { shortPersonName } from "./calendarGroups";

/**
 * A person's name in a block of the week: whole where the block is wide enough, "NOM P." in a narrow
 * column (calendar.css, by the block's own width), the whole name still read by screen readers (once:
 * the drawn names are hidden from them, the DSFR utility fr-sr-only holds it).
 */
export function PersonName({ name, className }: { name: string; className?: string }): ReactNode {
  const short = shortPersonName(name);
  return (
    <span className={`passerelle-person${className ? ` ${className}` : ""}`}>
      {short === name ? (
        <span className="passerelle-person-full">{name}</span>
      ) : (
        <>
          <span className="fr-sr-only">{name}</span>
          <span className="passerelle-person-full" aria-hidden="true">
            {name}
          </span>
          <span className="passerelle-person-short" aria-hidden="true">
            {short}
          </span>
        </>
      )}
    </span>
  );
}

/** A reported convocation says where it went, as the list does ("Reportée au …"), not "annulée par le service". */
export const calendarStatus = (c: ConvocationView): string =>
  c.replacement
    ? `reportée au ${formatDay(c.replacement.startsAt)} à ${formatTime(c.replacement.startsAt)}`
    : convocationStatusLabels[c.status].toLowerCase();

/** Those who are expected first, then the cancelled ones; by name within each. */
const gone = (c: ConvocationView): number => (c.status === "cancelled" || c.status === "excused" ? 1 : 0);
const inListOrder = (a: ConvocationView, b: ConvocationView): number =>
  gone(a) - gone(b) || byFrench(a.personName, b.personName);

type Box = NonNullable<EventWrapperProps["style"]>;
const percent = (value: Box["top"]): string | undefined =>
  value === undefined ? undefined : typeof value === "number" ? `${value}%` : String(value);

/**
 * In a phone's week (columns of ~45 px) a list of names would be cut to a letter or two: a group is
 * then a button showing how many people come, which opens their day (`open(start)`), where the list
 * has the column's whole width. Null elsewhere.
 */
export const OpenGroupDay = createContext<((start: Date) => void) | null>(null);

/**
 * Several convocations at the same time, as one block of the grid placed where the calendar put it
 * (`box`, in percents of the day column): its time (and place, when they share it), then each person
 * on a full-width line in the colour of their status, a link to their file. A line too long for a
 * narrow column ends in "…"; the link (and its tooltip) still says it in full.
 */
export function ConvocationGroup({
  convocations,
  label,
  box,
}: {
  convocations: ConvocationView[];
  label: string;
  box: Box;
}): ReactNode {
  const openDay = useContext(OpenGroupDay);
  const sites = new Set(convocations.map((c) => c.siteName));
  const oneSite = sites.size === 1 ? [...sites][0] : undefined;
  const when = `${label}${oneSite ? `, ${oneSite}` : ""}`;
  const count = plural(convocations.length, "convocation", "convocations");
  // The group's first time, as the day it opens looks for it (`data-group-start`).
  const start = new Date(Math.min(...convocations.map((c) => Date.parse(c.startsAt)))).toISOString();
  const style = {
    top: percent(box.top),
    height: percent(box.height),
    width: percent(box.width),
    left: percent(box.xOffset),
  };
  if (openDay)
    return (
      <div
        className="rbc-event passerelle-event-group passerelle-event-group--compact"
        style={style}
        data-group-start={start}
      >
        <button type="button" onClick={() => openDay(new Date(start))}>
          {/* Read as shown, then where: "2 pers. à 9 h 00, Meaux : voir leur journée". */}
          <span className="passerelle-event-name">{convocations.length}</span> pers.
          <span className="fr-sr-only"> à {when} : voir leur journée</span>
        </button>
      </div>
    );
  return (
    <div className="rbc-event passerelle-event-group" style={style} data-group-start={start}>
      <div className="rbc-event-label">
        {when}
        <span className="fr-sr-only"> : {count}</span>
      </div>
      <ul className="passerelle-event-group-list">
        {[...convocations].sort(inListOrder).map((c) => {
          const where = `${oneSite ? "" : `, ${c.siteName}`} (${calendarStatus(c)})`;
          return (
            <li key={c.id} className={`passerelle-event-entry passerelle-event--${c.status}`}>
              <Link to={`/personnes/${c.personId}`} title={`${c.personName}${where}`}>
                <PersonName name={c.personName} className="passerelle-event-name" />
                <span className="passerelle-event-status">{where}</span>
              </Link>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/** A block of the week calendar. */
export interface CalendarEvent {
  title: string;
  /** The title as lines in the grid (the person, then the place and status): they wrap, never cut. */
  lines: string[];
  start: Date;
  end: Date;
  /** A convocation, several at the same time (drawn as one list), or a collective action (its own style). */
  convocation?: ConvocationView;
  group?: ConvocationView[];
  actionId?: string;
}

/** One convocation as a block of the grid: the person, then the place and status, on their own lines. */
export const convocationEvent = (c: ConvocationView): CalendarEvent => ({
  title: `${c.personName} · ${c.siteName} (${calendarStatus(c)})`,
  lines: [c.personName, `${c.siteName} (${calendarStatus(c)})`],
  start: new Date(c.startsAt),
  end: new Date(c.endsAt),
  convocation: c,
});

/** Convocations sharing a time (several counselors at once): one block listing them one under the other. */
export const groupEvent = (group: CalendarEvent[]): CalendarEvent => {
  const convocations = group.flatMap((e) => (e.convocation ? [e.convocation] : []));
  return {
    title: convocations.map((c) => c.personName).join(", "),
    lines: [],
    start: new Date(Math.min(...group.map((e) => e.start.getTime()))),
    end: new Date(Math.max(...group.map((e) => e.end.getTime()))),
    group: convocations,
  };
};

/** The calendar draws a group itself (links to each file, no button around them); anything else as usual. */
export function GroupEventWrapper(
  props: EventWrapperProps<CalendarEvent> & { children?: ReactNode },
): ReactNode {
  const { event, style, label, children } = props;
  if (!event.group || !style) return children;
  return <ConvocationGroup convocations={event.group} label={label} box={style} />;
}
