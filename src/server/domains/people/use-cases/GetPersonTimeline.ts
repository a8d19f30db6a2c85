import { eq } from "drizzle-orm";
import { autonomyLabels, demarcheStatusLabels } from "../../../../common/accompaniment/accompaniment.schema";
import { type NeedDomain, needDomainLabels } from "../../../../common/agenda/agenda.schema";
import { errors } from "../../../../common/errors";
import { notificationStatusLabels } from "../../../../common/notifications/notifications.schema";
import {
  appointmentWords,
  type NotificationKind,
  notificationChannelLabels,
  notificationKindLabels,
} from "../../../../common/notifications/templates";
import {
  orientationStatusLabels,
  orientationTargetLabels,
} from "../../../../common/orientations/orientations.schema";
import type { TimelineEvent } from "../../../../common/people/people.schema";
import { journalFor } from "../../../core/audit";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { orientation } from "../../../db/schema";
import { demarcheViews, needHistory, visitsOf } from "../../accompaniment/queries";
import { convocationHistory } from "../../agenda/queries";
import { consentViews } from "../../consent/queries";
import { messagesOfPerson } from "../../notifications/outbox";
import { orientationViews } from "../../orientations/queries";
import { changeEvents } from "../changes";
import { nominativeScope } from "../policies";
import { findVisiblePerson } from "../queries";

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
};

const appointment = (startsAt: Date, siteName: string): string => {
  const { date, heure } = appointmentWords(startsAt);
  return `Rendez-vous du ${date} à ${heure}, ${siteName}`;
};

/**
 * A person's history, newest first: convocations and their statuses, visits, démarche steps, needs,
 * consents, orientations and answers, messages, SMS opt-out — with who, never a judicial detail.
 */
export async function getPersonTimeline(
  deps: Deps,
  ctx: RequestContext,
  personId: string,
): Promise<{ events: TimelineEvent[] }> {
  const scope = nominativeScope(ctx.actor);
  const db = deps.db;
  const found = await findVisiblePerson(db, scope, personId);
  if (!found) throw errors.person.notFound();
  // Reads only, side by side on the pool (no transaction to hold one connection for all of them);
  // the answer leaves once its journal row is committed, and not at all if it cannot be written.
  const [history, { messages, optedOutAt }, visits, demarches, needs, consents, orientations, changes] =
    await Promise.all([
      convocationHistory(db, personId),
      messagesOfPerson(db, personId),
      visitsOf(db, personId),
      demarcheViews(db, { personId }),
      needHistory(db, personId),
      consentViews(db, personId),
      orientationViews(db, eq(orientation.personId, personId), false, ctx.clock.now()),
      changeEvents(db, personId, found.full),
    ]);
  await journalFor(db, ctx, {
    action: "person.timeline_read",
    targetType: "person",
    targetId: personId,
    structureId: found.person.structureId,
  });
  const events: TimelineEvent[] = [
    ...changes,
    ...history.map((h) => ({
      at: h.at.toISOString(),
      kind: "convocation" as const,
      title:
        h.action === "convocation.cancelled" && h.reason === "report"
          ? "Rendez-vous reporté"
          : (convocationTitles[h.action] ?? h.action),
      detail:
        h.action === "convocation.status_corrected"
          ? `${appointment(h.startsAt, h.siteName)} — ${h.reason}`
          : appointment(h.startsAt, h.siteName),
      actorName: h.actorName,
    })),
    ...messages
      .filter((m) => m.kind !== "failure_alert")
      .map((m) => ({
        at: (m.sentAt ?? m.createdAt).toISOString(),
        kind: "message" as const,
        title: `${notificationChannelLabels[m.channel]} « ${notificationKindLabels[m.kind as NotificationKind]} » : ${notificationStatusLabels[m.status].toLowerCase()}`,
        detail: m.lastError || (m.status === "pending" ? `Destinataire : ${m.recipient}` : ""),
        actorName: null,
      })),
    ...visits.map((v) => ({
      at: v.startedAt,
      kind: "visit" as const,
      title: `Visite à la permanence (${v.durationMinutes} min, ${autonomyLabels[v.autonomy].toLowerCase()})`,
      detail: v.suggestNextInDays ? `Nouvelle convocation proposée sous ${v.suggestNextInDays} jours` : "",
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
      at: n.at.toISOString(),
      kind: "need" as const,
      title: `Besoin « ${needDomainLabels[n.domain as NeedDomain] ?? n.domain} » : ${n.hasNeed ? "oui" : "non"}`,
      detail: "",
      actorName: n.byName,
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
    ...orientations.flatMap((o) => {
      const to = o.partnerName ?? orientationTargetLabels[o.target];
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
                title: `Réponse de ${to} : ${orientationStatusLabels[o.status].toLowerCase()}`,
                detail: o.refusalReason,
                actorName: null,
              },
            ]
          : []),
      ];
    }),
    ...(optedOutAt
      ? [
          {
            at: optedOutAt.toISOString(),
            kind: "person" as const,
            // Through the link in an SMS, or told to an agent at a change of number: the row
            // does not say which, so neither does the history.
            title: "La personne ne souhaite plus recevoir de SMS",
            detail: "Plus aucun SMS ne lui est envoyé.",
            actorName: null,
          },
        ]
      : []),
  ];
  // Oldest first (stable: at the same instant an action comes before the message it caused), then reversed.
  return { events: events.sort((a, b) => a.at.localeCompare(b.at)).reverse() };
}
