import { and, asc, eq, inArray, isNotNull, isNull, notInArray } from "drizzle-orm";
import {
  demarcheStatusLabels,
  finalDemarcheStatuses,
} from "../../../common/accompaniment/accompaniment.schema";
import { type NeedDomain, needDomainLabels } from "../../../common/agenda/agenda.schema";
import { addDays } from "../../../common/calendar";
import type { HandoverAgenda, HandoverView } from "../../../common/handover/handover.schema";
import {
  orientationStatusLabels,
  orientationTargetLabels,
} from "../../../common/orientations/orientations.schema";
import { roleLabels } from "../../../common/roles";
import type { Deps } from "../../core/deps";
import type { Db } from "../../db/createDb";
import {
  consent,
  convocation,
  demarche,
  demarcheType,
  handoverMeeting,
  handoverParticipant,
  membership,
  orientation,
  partner,
  structure,
  user,
} from "../../db/schema";
import { needsOf } from "../accompaniment/queries";
import { placeLabel } from "./invitations";

export const firstConvocationDays = (deps: Deps): number => deps.config.HANDOVER_FIRST_CONVOCATION_DAYS ?? 15;

/** The agenda of the meeting, from the file as it is now: needs, démarches in progress, orientations, consent. */
export async function computeAgenda(db: Db, personId: string): Promise<HandoverAgenda> {
  const { needs } = await needsOf(db, personId);
  const demarches = await db
    .select({ label: demarcheType.label, status: demarche.status, nextStep: demarche.nextStep })
    .from(demarche)
    .leftJoin(demarcheType, eq(demarcheType.id, demarche.demarcheTypeId))
    .where(and(eq(demarche.personId, personId), notInArray(demarche.status, [...finalDemarcheStatuses])))
    .limit(100);
  const orientations = await db
    .select({ target: orientation.target, partnerName: partner.name, status: orientation.status })
    .from(orientation)
    .leftJoin(partner, eq(partner.id, orientation.partnerId))
    .where(
      and(eq(orientation.personId, personId), inArray(orientation.status, ["draft", "sent", "accepted"])),
    )
    .limit(100);
  const [active] = await db
    .select()
    .from(consent)
    .where(and(eq(consent.personId, personId), isNull(consent.revokedAt)));
  return {
    needs: needs
      .filter((n) => n.hasNeed)
      .map((n) => ({
        domain: n.domain,
        label: needDomainLabels[n.domain as NeedDomain] ?? n.domain,
        priority: n.priority,
      })),
    demarches: demarches.map((d) => ({
      label: d.label ?? "Démarche",
      status: demarcheStatusLabels[d.status],
      nextStep: d.nextStep,
    })),
    orientations: orientations.map((o) => ({
      label: o.partnerName ?? orientationTargetLabels[o.target],
      status: orientationStatusLabels[o.status],
    })),
    consent: active
      ? {
          active: true,
          summary: `Partage consenti (${active.purpose})${active.shareNotes ? ", notes partagées" : ""}${active.shareDemarcheDetails ? ", détail des démarches" : ""}.`,
        }
      : { active: false, summary: "Aucun consentement au partage d'informations enregistré." },
  };
}

export async function meetingViews(db: Db, deps: Deps, personId: string): Promise<HandoverView[]> {
  const meetings = await db
    .select({
      m: handoverMeeting,
      targetName: structure.name,
      referentName: user.displayName,
      firstAt: convocation.startsAt,
    })
    .from(handoverMeeting)
    .innerJoin(structure, eq(structure.id, handoverMeeting.targetStructureId))
    .leftJoin(user, eq(user.id, handoverMeeting.targetReferentUserId))
    .leftJoin(convocation, eq(convocation.id, handoverMeeting.firstConvocationId))
    .where(eq(handoverMeeting.personId, personId))
    .orderBy(asc(handoverMeeting.createdAt))
    .limit(20);
  const participants =
    meetings.length === 0
      ? []
      : await db
          .select()
          .from(handoverParticipant)
          .where(
            inArray(
              handoverParticipant.meetingId,
              meetings.map((r) => r.m.id),
            ),
          )
          .orderBy(asc(handoverParticipant.name));
  // Only a held meeting froze its agenda; a planned or cancelled one shows the file as it stands
  // (read once, by the first meeting that needs it).
  let live: HandoverAgenda | null = null;
  const views: HandoverView[] = [];
  for (const { m, targetName, referentName, firstAt } of meetings) {
    let agenda = m.agenda as HandoverAgenda | null;
    if (!agenda) {
      live ??= await computeAgenda(db, personId);
      agenda = live;
    }
    views.push({
      id: m.id,
      status: m.status as HandoverView["status"],
      startsAt: m.startsAt.toISOString(),
      durationMinutes: m.durationMinutes,
      siteId: m.siteId,
      placeLabel: await placeLabel(db, m),
      placeText: m.placeText,
      releaseDate: m.releaseDate,
      targetStructureId: m.targetStructureId,
      targetStructureName: targetName,
      participants: participants
        .filter((p) => p.meetingId === m.id)
        .map((p) => ({
          id: p.id,
          kind: p.userId ? ("agent" as const) : ("contact" as const),
          name: p.name,
          email: p.email,
          roleLabel: p.roleLabel,
        })),
      agenda,
      minutes: m.minutes,
      decisions: m.decisions,
      consentGiven: m.consentGiven,
      consentReference: m.consentReference,
      personPresent: m.personPresent,
      targetReferentName: referentName,
      firstConvocationAt: firstAt?.toISOString() ?? null,
      heldAt: m.heldAt?.toISOString() ?? null,
      cancelReason: m.cancelReason,
      windowEnd: addDays(m.releaseDate, firstConvocationDays(deps)),
    });
  }
  return views;
}

/** Agents of a structure who may be invited: its CPIP, counselors and direction (accepted, enabled). */
export async function invitableAgents(
  db: Db,
  structureIds: string[],
): Promise<{ id: string; name: string; email: string; roleLabel: string; structureId: string }[]> {
  const rows = await db
    .select({
      id: user.id,
      name: user.displayName,
      email: user.email,
      role: membership.role,
      structureId: membership.structureId,
    })
    .from(membership)
    .innerJoin(user, eq(user.id, membership.userId))
    .where(
      and(
        inArray(membership.structureId, structureIds),
        inArray(membership.role, ["probation_officer", "counselor", "service_manager"]),
        isNull(membership.endedAt),
        isNotNull(membership.acceptedAt),
        isNull(user.disabledAt),
      ),
    )
    .orderBy(asc(user.displayName));
  const seen = new Map<
    string,
    { id: string; name: string; email: string; roleLabel: string; structureId: string }
  >();
  for (const r of rows) {
    const label = roleLabels[r.role].split(" (")[0]!;
    const existing = seen.get(r.id);
    if (existing) existing.roleLabel = `${existing.roleLabel}, ${label}`;
    else
      seen.set(r.id, {
        id: r.id,
        name: r.name,
        email: r.email,
        roleLabel: label,
        structureId: r.structureId,
      });
  }
  return [...seen.values()];
}
