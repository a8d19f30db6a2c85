import { sql } from "drizzle-orm";
import type {
  DemarcheView,
  NeedView,
  VisitView,
} from "../../../../common/accompaniment/accompaniment.schema";
import { autonomyLabels, demarcheStatusLabels } from "../../../../common/accompaniment/accompaniment.schema";
import { type NeedDomain, needDomainLabels } from "../../../../common/agenda/agenda.schema";
import { auditActionLabel } from "../../../../common/audit/audit.labels";
import { formatShortDateTime } from "../../../../common/dateFormat";
import { type DocumentKind, documentKindLabels } from "../../../../common/documents/documents.schema";
import { errors } from "../../../../common/errors";
import {
  type NotificationStatus,
  notificationStatusLabels,
} from "../../../../common/notifications/notifications.schema";
import {
  appointmentWords,
  type NotificationChannel,
  type NotificationKind,
  notificationChannelLabels,
  notificationKindLabels,
} from "../../../../common/notifications/templates";
import {
  ORIENTATION_EXPIRY_DAYS,
  orientationStatusLabels,
  orientationTargetLabels,
} from "../../../../common/orientations/orientations.schema";
import type { TimelineEvent } from "../../../../common/people/people.schema";
import { formatPhone } from "../../../../common/phone";
import { ofPlace } from "../../../../common/placeName";
import { plural } from "../../../../common/plural";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { compiledOnce } from "../../../db/sqlJson";
import { demarchesJson, needRowsJson, visitsJson } from "../../accompaniment/queries";
import { convocationHistoryJson } from "../../agenda/queries";
import { type ConsentHistoryRow, consentHistoryJson } from "../../consent/queries";
import { type DocumentHistoryRow, documentHistoryJson } from "../../documents/queries";
import { messagesJson, optedOutJson } from "../../notifications/outbox";
import { type OrientationHistoryRow, orientationHistoryJson } from "../../orientations/queries";
import { effectiveStatus } from "../../orientations/rules";
import { type ChangeRow, changeEvents, changesJson } from "../changes";
import { type CreationRow, creationEvent, creationJson } from "../creation";
import { journaledFileRead } from "../fileReads";
import { nominativeScope } from "../policies";

/** The lists of the history, read from the visible person `p` (compiled once: no value bound). */
const timelineColumns = compiledOnce(
  sql`${convocationHistoryJson(sql`p.id`)} as history, ${messagesJson(sql`p.id`)} as messages,
    ${optedOutJson(sql`p.id`)} as "optedOutAt", ${visitsJson(sql`p.id`)} as visits,
    ${demarchesJson(sql`p.id`)} as demarches, ${needRowsJson(sql`p.id`)} as needs,
    ${consentHistoryJson(sql`p.id`)} as consents, ${orientationHistoryJson(sql`p.id`)} as orientations,
    ${changesJson(sql`p.id`)} as changes, ${creationJson(sql`p.id`)} as creation,
    ${documentHistoryJson(sql`p.id`, sql`p.full`)} as documents`,
);

/** What the one statement of the history returns, list by list (timestamps as ISO strings). */
interface TimelineRows {
  history: {
    at: string;
    action: string;
    reason: string;
    actorName: string | null;
    convocationId: string;
    startsAt: string;
    siteName: string;
  }[];
  messages: {
    createdAt: string;
    sentAt: string | null;
    failedAt: string | null;
    notBefore: string;
    /** The convocation the message belongs to, if any. */
    startsAt: string | null;
    siteName: string | null;
    kind: string;
    channel: NotificationChannel;
    status: NotificationStatus;
    lastError: string;
    recipient: string;
  }[];
  optedOutAt: string | null;
  visits: VisitView[];
  demarches: DemarcheView[];
  needs: NeedView[];
  consents: ConsentHistoryRow[];
  orientations: OrientationHistoryRow[];
  changes: ChangeRow[];
  creation: CreationRow;
  documents: DocumentHistoryRow[];
}

const convocationTitles: Record<string, string> = {
  "convocation.booked": "Convocation enregistrée",
  "convocation.honoured": "Rendez-vous honoré",
  "convocation.missed": "Absence au rendez-vous",
  "convocation.excused": "Rendez-vous annulé par la personne",
  "convocation.cancelled": "Rendez-vous annulé par le service",
  "convocation.letter_printed": "Lettre de convocation imprimée",
  "convocation.status_corrected": "Statut du rendez-vous corrigé",
  "convocation.arrived": "Arrivée à la permanence notée",
  "convocation.arrival_cleared": "Arrivée à la permanence retirée",
  "visit.recorded": "Visite saisie",
};

const appointment = (startsAt: Date, siteName: string): string => {
  const { date, heure } = appointmentWords(startsAt);
  return `Rendez-vous du ${date} à ${heure}, ${siteName}`;
};

/**
 * A message's row: placed when it was sent (else when it failed, else when it was queued); « Quand »
 * says the time it was sent, or its state when it was not (« En attente », « Échec »…). A message
 * not due yet (a reminder, one held until the release morning or after quiet hours) is placed at
 * the time it will leave, above what already happened, and « Quand » says « Prévu le … »
 * (doc/product.md, « History »). It names the convocation it belongs to.
 */
function messageEvent(m: TimelineRows["messages"][number], now: Date): TimelineEvent {
  const planned = m.status === "pending" && new Date(m.notBefore) > now;
  const detail = [
    m.startsAt && m.siteName ? appointment(new Date(m.startsAt), m.siteName) : "",
    m.lastError,
    m.status === "pending"
      ? `Destinataire : ${m.channel === "sms" ? formatPhone(m.recipient) : m.recipient}`
      : "",
  ];
  const state = planned ? "prévu" : notificationStatusLabels[m.status].toLowerCase();
  return {
    at: planned ? m.notBefore : (m.sentAt ?? m.failedAt ?? m.createdAt),
    atLabel: planned
      ? `Prévu le ${formatShortDateTime(m.notBefore)}`
      : m.sentAt
        ? null
        : notificationStatusLabels[m.status],
    kind: "message",
    title: `${notificationChannelLabels[m.channel]} « ${notificationKindLabels[m.kind as NotificationKind]} » : ${state}`,
    detail: detail.filter(Boolean).join(" — "),
    actorName: null,
  };
}

/** A visit's row says its appointment, what was saved with it and the next convocation proposed. */
function visitDetail(v: VisitView): string {
  const saved = [
    v.demarchesTouched > 0 ? plural(v.demarchesTouched, "démarche", "démarches") : "",
    v.needsAssessed > 0 ? plural(v.needsAssessed, "besoin évalué", "besoins évalués") : "",
  ].filter(Boolean);
  return [
    appointment(new Date(v.startedAt), v.siteName),
    saved.length > 0 ? `Saisi avec la visite : ${saved.join(", ")}` : "",
    v.suggestNextInDays ? `Nouvelle convocation proposée sous ${v.suggestNextInDays} jours` : "",
  ]
    .filter(Boolean)
    .join(" — ");
}

/** A document's lines: its upload and, once removed, its removal, each with who (kind and title). */
function documentEvents(d: DocumentHistoryRow): TimelineEvent[] {
  const detail = documentKindLabels[d.kind as DocumentKind] ?? d.kind;
  return [
    {
      at: d.uploadedAt,
      kind: "document",
      title: `Document déposé : « ${d.title} »`,
      detail,
      actorName: d.uploadedByName,
    },
    ...(d.deletedAt
      ? [
          {
            at: d.deletedAt,
            kind: "document" as const,
            title: `Document supprimé : « ${d.title} »`,
            detail,
            actorName: d.deletedByName,
          },
        ]
      : []),
  ];
}

/**
 * A person's history, newest first: the file's opening, convocations and their statuses, visits, démarche steps, needs,
 * consents, orientations and answers, documents added and removed, messages, SMS opt-out — with who,
 * never a judicial detail (a judicial document only to those who see judicial fields).
 */
export async function getPersonTimeline(
  deps: Deps,
  ctx: RequestContext,
  personId: string,
): Promise<{ events: TimelineEvent[] }> {
  const scope = nominativeScope(ctx.actor);
  // One statement: the person under the actor's scope, every list of the history, the journal row.
  const found = await journaledFileRead<TimelineRows>(
    deps.db,
    ctx,
    { scope, personId, action: "person.timeline_read" },
    timelineColumns,
  );
  if (!found) throw errors.person.notFound();
  const { history, messages, optedOutAt, visits, demarches, needs, consents } = found;
  const now = ctx.clock.now();
  const orientations = found.orientations.map((o) => ({
    ...o,
    status: effectiveStatus(o.status, o.expiresAt ? new Date(o.expiresAt) : null, now),
  }));
  const changes = changeEvents(found.changes, found.full);
  // A recorded visit is one row, the visit's (below), which says what the journal row said.
  const visited = new Set(visits.map((v) => v.convocationId));
  const events: TimelineEvent[] = [
    // First: at the same instant, the file is opened before what its creation recorded (a consent).
    creationEvent(found.creation),
    ...changes,
    ...history
      .filter((h) => !(h.action === "visit.recorded" && visited.has(h.convocationId)))
      .map((h) => ({
        at: h.at,
        kind: "convocation" as const,
        title:
          h.action === "convocation.cancelled" && h.reason === "report"
            ? "Rendez-vous reporté"
            : (convocationTitles[h.action] ?? auditActionLabel(h.action)),
        detail:
          h.action === "convocation.status_corrected"
            ? `${appointment(new Date(h.startsAt), h.siteName)} — ${h.reason}`
            : appointment(new Date(h.startsAt), h.siteName),
        actorName: h.actorName,
      })),
    ...messages.filter((m) => m.kind !== "failure_alert").map((m) => messageEvent(m, now)),
    // When it was recorded, with the démarche steps and needs saved with it: the appointment's time
    // may come later (the person came early) and would put the visit above what followed it.
    ...visits.map((v) => ({
      at: v.recordedAt,
      kind: "visit" as const,
      title: `Visite à la permanence (${v.durationMinutes} min, ${autonomyLabels[v.autonomy].toLowerCase()})`,
      detail: visitDetail(v),
      actorName: v.counselorName,
    })),
    ...demarches.flatMap((d) =>
      d.history.map((h) => ({
        at: h.at,
        kind: "demarche" as const,
        title: `Démarche « ${d.label} » : ${demarcheStatusLabels[h.status].toLowerCase()}`,
        detail: d.partnerName ?? "",
        actorName: h.byName,
      })),
    ),
    ...needs.map((n) => ({
      at: n.assessedAt,
      kind: "need" as const,
      title: `Besoin « ${needDomainLabels[n.domain as NeedDomain] ?? n.domain} » : ${n.hasNeed ? "oui" : "non"}`,
      detail: "",
      actorName: n.assessedByName,
    })),
    ...consents.flatMap((c) => [
      {
        at: c.collectedAt,
        kind: "consent" as const,
        title: "Consentement au partage d'informations recueilli",
        detail: c.purpose,
        actorName: c.collectedByName,
      },
      ...(c.revokedAt
        ? [
            {
              at: c.revokedAt,
              kind: "consent" as const,
              title: "Consentement retiré ou remplacé",
              detail: "",
              actorName: c.revokedByName,
            },
          ]
        : []),
    ]),
    ...found.documents.flatMap((d) => documentEvents(d)),
    ...orientations.flatMap((o) => {
      const to = o.partnerName ?? orientationTargetLabels[o.target];
      // The receiving side speaks for itself: the agent who answered and their organisation.
      const receiver = o.partnerName ?? (o.target === "mediation" ? "Médiation de l'association" : to);
      const answeredBy = o.answeredByName ? `${o.answeredByName} — ${receiver}` : receiver;
      const from = o.partnerName ?? (o.target === "mediation" ? "la médiation de l'association" : to);
      return [
        ...(o.sentAt
          ? [
              {
                at: o.sentAt,
                kind: "orientation" as const,
                title: `Orientation envoyée : ${to}`,
                detail: o.reason,
                actorName: o.createdByName,
              },
            ]
          : []),
        ...(o.answeredAt
          ? [
              {
                at: o.answeredAt,
                kind: "orientation" as const,
                // A completed orientation was accepted first: the answer reads as it was given.
                title: `Réponse ${ofPlace(from)} : ${orientationStatusLabels[o.status === "completed" ? "accepted" : o.status].toLowerCase()}`,
                detail: o.refusalReason,
                actorName: answeredBy,
              },
            ]
          : []),
        ...(o.completedAt
          ? [
              {
                at: o.completedAt,
                kind: "orientation" as const,
                title: `Résultat rapporté par ${from}`,
                detail: o.outcome,
                actorName: answeredBy,
              },
            ]
          : []),
        ...(o.status === "expired" && o.expiresAt
          ? [
              {
                at: o.expiresAt,
                kind: "orientation" as const,
                title: `Orientation sans réponse après ${ORIENTATION_EXPIRY_DAYS} jours : ${to}`,
                detail: "",
                actorName: "Passerelle (délai dépassé)",
              },
            ]
          : []),
      ];
    }),
    ...(optedOutAt
      ? [
          {
            at: optedOutAt,
            kind: "person" as const,
            // Through the link in an SMS, or told to an agent at a change of number: the row
            // does not say which, so neither does the history.
            title: "La personne ne souhaite plus recevoir de SMS",
            detail: "Plus aucun SMS ne lui est envoyé.",
            actorName: "La personne",
          },
        ]
      : []),
  ];
  // Oldest first (stable: at the same instant an action comes before the message it caused), then reversed.
  return { events: events.sort((a, b) => a.at.localeCompare(b.at)).reverse() };
}
