import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Fragment, type ReactNode, useEffect } from "react";
import { Link, useLocation } from "react-router";
import { agendaRoutes } from "../../../common/agenda/agenda.routes";
import {
  type ConvocationStatus,
  type ConvocationView,
  convocationStatusLabels,
  needDomainList,
} from "../../../common/agenda/agenda.schema";
import { fillPath } from "../../../common/contract";
import { ofName } from "../../../common/placeName";
import { formatAppointment, formatDay, formatTime, parisDayOf } from "../../components/dates";
import { ScrollableTable } from "../../components/ScrollableTable";
import { inTimeOrder, upcomingFirst } from "./convocationOrder";
import { useStatusActions } from "./StatusActions";

/** The printable letter, opened in a new tab (the session cookie goes with it). */
export const letterUrl = (convocationId: string): string =>
  fillPath(agendaRoutes.letter.path, { convocationId });

/** A cancelled or replaced convocation has no valid letter to hand out (the server refuses it too). */
export const hasValidLetter = (c: Pick<ConvocationView, "status">): boolean =>
  c.status !== "cancelled" && c.status !== "excused";

const severity: Record<ConvocationStatus, "info" | "success" | "error" | "warning" | "new"> = {
  planned: "info",
  honoured: "success",
  missed: "error",
  excused: "warning",
  cancelled: "warning",
};

/** A row's anchor: `/personnes/:id#convocation-:id` lands on it. */
const anchorOf = (convocationId: string): string => `convocation-${convocationId}`;

/** Where a convocation's row is: on its person's file. */
export const convocationLink = (c: { personId: string; id: string }): string =>
  `/personnes/${c.personId}#${anchorOf(c.id)}`;

function StatusCell({ c }: { c: ConvocationView }): ReactNode {
  // Reported (ADR 0036): cancelled by the service, but what the reader wants is the new date.
  if (c.replacement)
    return (
      <Link
        className="fr-link fr-link--sm"
        to={convocationLink({ personId: c.personId, id: c.replacement.id })}
      >
        Reportée au {formatDay(c.replacement.startsAt)} à {formatTime(c.replacement.startsAt)}
      </Link>
    );
  return (
    <>
      <Badge severity={c.toFillIn ? "new" : severity[c.status]} small>
        {c.toFillIn
          ? c.status === "honoured"
            ? "Honorée, visite à saisir"
            : "À renseigner"
          : convocationStatusLabels[c.status]}
      </Badge>
      {c.arrivedAt && <p className="fr-text--sm fr-mb-0 fr-mt-1v">Arrivé·e à {formatTime(c.arrivedAt)}</p>}
    </>
  );
}

function Links({ c }: { c: ConvocationView }): ReactNode {
  return (
    <>
      {hasValidLetter(c) && (
        <a
          className="fr-link fr-link--sm fr-mr-2w pa-nowrap"
          href={letterUrl(c.id)}
          target="_blank"
          rel="noopener"
        >
          Lettre (PDF)
        </a>
      )}
      {c.permissions.recordVisit && (
        <Link
          className="fr-link fr-link--sm fr-mr-2w"
          to={`/personnes/${c.personId}/convocations/${c.id}/visite`}
        >
          Saisir la visite
        </Link>
      )}
      {c.permissions.reschedule && (
        <Link className="fr-link fr-link--sm" to={`/personnes/${c.personId}/convocations/${c.id}/reporter`}>
          Reporter
        </Link>
      )}
    </>
  );
}

/**
 * What the CPIP asked at booking, beyond the reasons: the démarches to prepare and their comment for
 * the counselor. Nothing when the booking said neither.
 */
export function BookingRequest({ c, className }: { c: ConvocationView; className?: string }): ReactNode {
  if (c.demarchesToPrepare.length === 0 && c.comment.trim() === "") return null;
  return (
    <div className={className}>
      {c.demarchesToPrepare.length > 0 && (
        <p className="fr-text--sm fr-mb-1v">À préparer : {c.demarchesToPrepare.join(", ")}</p>
      )}
      {c.comment.trim() !== "" && (
        <p className="fr-text--sm fr-mb-0 typed-text">
          Commentaire {ofName(c.bookedByName)} : « {c.comment.trim()} »
        </p>
      )}
    </div>
  );
}

/** Whether a row has a link or a button ("Actions : —" rather than a bare "Actions :" where rows stack). */
const hasAction = (c: ConvocationView): boolean =>
  hasValidLetter(c) || Object.values(c.permissions).some(Boolean);

/**
 * Lands on the row the address names (`#convocation-…`, a "Reportée au…" link): scrolled to and
 * focused once the list is shown.
 */
function useLandOnRow(convocations: ConvocationView[]): void {
  const { hash } = useLocation();
  const target = convocations.find((c) => `#${anchorOf(c.id)}` === hash)?.id;
  useEffect(() => {
    if (!target) return;
    const row = document.getElementById(anchorOf(target));
    row?.scrollIntoView();
    row?.focus({ preventScroll: true });
  }, [target]);
}

/** The id of today's day in a week's list (its heading, or the week's empty text): « Aujourd'hui » goes there. */
export const TODAY_ID = "convocations-today";

function groupsOf(
  convocations: ConvocationView[],
  byDay: boolean,
  today: string | undefined,
): [string, ConvocationView[]][] {
  if (!byDay) return [["", convocations]];
  const days = new Map<string, ConvocationView[]>();
  if (today) days.set(today, []);
  for (const c of convocations) {
    const day = parisDayOf(c.startsAt);
    days.set(day, [...(days.get(day) ?? []), c]);
  }
  return [...days.entries()].sort(([a], [b]) => a.localeCompare(b));
}

/**
 * Convocations with their actions, each once: one table, or one per day (`byDay`, in time order).
 * The status actions' notice and dialogs are shared by the whole list. Under 768 px the rows stack
 * (ScrollableTable `stacked`), each line led by its column's name, so the actions stay on screen;
 * a day's table leads its time with "Heure" too, a bare "09:30" being a poor title.
 */
export function ConvocationTable({
  convocations,
  emptyText,
  caption,
  byDay = false,
  oneDay = false,
  headingLevel = "h3",
  onePerson = false,
  today,
  todayEmptyText = "Aucune convocation aujourd'hui.",
}: {
  convocations: ConvocationView[];
  emptyText: string;
  caption: string;
  byDay?: boolean;
  /** The convocations of one day, named above the list: each row shows its time only. */
  oneDay?: boolean;
  headingLevel?: "h2" | "h3";
  /**
   * One person's convocations (on their file, under a heading): no "Personne" column, no visible
   * caption; the next one on top.
   */
  onePerson?: boolean;
  /**
   * Today, in the list by day of the week holding it: its day is always there (said empty when it
   * is), its heading focusable under `TODAY_ID`, where « Aujourd'hui » brings the agent.
   */
  today?: string | undefined;
  /** What today's empty day says (a counselor without a permanence today is told so). */
  todayEmptyText?: string | undefined;
}): ReactNode {
  const { actionsOf, overlays } = useStatusActions();
  const Heading = headingLevel;
  // A person's file puts the next convocation on top (then the past ones, latest first); a day or an
  // agenda reads in time order.
  const sorted = onePerson
    ? upcomingFirst(convocations, new Date().toISOString())
    : inTimeOrder(convocations);
  useLandOnRow(sorted);
  const timeOnly = byDay || oneDay;
  return (
    <>
      {overlays}
      {sorted.length === 0 && (
        // An empty week says so once, today included.
        <p id={today && byDay ? TODAY_ID : undefined} tabIndex={today && byDay ? -1 : undefined}>
          {emptyText}
        </p>
      )}
      {sorted.length > 0 &&
        groupsOf(sorted, byDay, today).map(([day, list]) => (
          <div key={day || "all"}>
            {day && (
              <Heading
                className="fr-h5 fr-mt-3w"
                id={day === today ? TODAY_ID : undefined}
                tabIndex={day === today ? -1 : undefined}
              >
                {formatDay(day)}
              </Heading>
            )}
            {list.length === 0 ? (
              <p>{todayEmptyText}</p>
            ) : (
              <ScrollableTable
                stacked
                stackedTitle={!byDay}
                caption={day ? `${caption} — ${formatDay(day)}` : caption}
                noCaption={Boolean(day) || onePerson}
                headers={[
                  timeOnly ? "Heure" : "Rendez-vous",
                  ...(onePerson ? [] : ["Personne"]),
                  "Lieu",
                  "Motifs",
                  "Statut",
                  "Actions",
                ]}
                data={list.map((c) => [
                  <span key="t" id={anchorOf(c.id)} tabIndex={-1}>
                    {timeOnly ? formatTime(c.startsAt) : formatAppointment(c.startsAt)}
                  </span>,
                  ...(onePerson
                    ? []
                    : [
                        <Link key="p" to={`/personnes/${c.personId}`}>
                          {c.personName}
                        </Link>,
                      ]),
                  c.siteName,
                  // The reasons as text, on the line of "Motifs :" where the rows stack; what the CPIP
                  // asked below them.
                  <Fragment key="m">
                    {needDomainList(c.needDomains) || "—"}
                    <BookingRequest c={c} className="fr-mt-1v" />
                  </Fragment>,
                  <StatusCell key="s" c={c} />,
                  hasAction(c) ? (
                    <div key="a">
                      <Links c={c} />
                      {actionsOf(c)}
                    </div>
                  ) : (
                    "—"
                  ),
                ])}
              />
            )}
          </div>
        ))}
    </>
  );
}
