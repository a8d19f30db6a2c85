import { and, asc, eq, inArray, isNull, type SQL } from "drizzle-orm";
import {
  ALERT_DAYS,
  type ConventionView,
  type RecordedStatus,
} from "../../../common/conventions/conventions.schema";
import type { DirectoryKind } from "../../../common/directory/directory.schema";
import type { Actor } from "../../core/context";
import type { Db } from "../../db/createDb";
import {
  convention,
  conventionParty,
  conventionSettings,
  directoryEntry,
  storedFile,
  user,
} from "../../db/schema";
import { conventionStatus, daysBetween } from "./rules";

const READERS = ["probation_officer", "counselor", "service_manager"] as const;

/**
 * The register is read by the structure's direction, CPIP and counselors (read-only, without the
 * signed PDF); steering, partners, mediation and administrators read nothing (ADR 0030).
 */
export function mayReadConventions(actor: Actor, structureId: string): boolean {
  return actor.memberships.some(
    (m) => m.structureId === structureId && (READERS as readonly string[]).includes(m.role),
  );
}
export function mayEditConventions(actor: Actor, structureId: string): boolean {
  return actor.memberships.some((m) => m.structureId === structureId && m.role === "service_manager");
}
export function readableStructures(actor: Actor): string[] {
  return [
    ...new Set(
      actor.memberships
        .filter((m) => (READERS as readonly string[]).includes(m.role))
        .map((m) => m.structureId),
    ),
  ];
}

export async function loadAlertDays(db: Db, structureId: string): Promise<number> {
  const [row] = await db
    .select({ alertDays: conventionSettings.alertDays })
    .from(conventionSettings)
    .where(eq(conventionSettings.structureId, structureId));
  return row?.alertDays ?? ALERT_DAYS.default;
}

/** Conventions as shown, their status computed for `today` (a Paris day). */
export async function conventionViews(
  db: Db,
  where: SQL | undefined,
  today: string,
  alertDays: number,
): Promise<(ConventionView & { structureId: string })[]> {
  const rows = await db
    .select({
      c: convention,
      referentName: user.displayName,
      fileSize: storedFile.size,
    })
    .from(convention)
    .leftJoin(user, eq(user.id, convention.referentUserId))
    .leftJoin(storedFile, eq(storedFile.id, convention.signedFileId))
    .where(where)
    .orderBy(asc(convention.endsOn), asc(convention.title));
  if (rows.length === 0) return [];
  const parties = await db
    .select({
      conventionId: conventionParty.conventionId,
      directoryEntryId: conventionParty.directoryEntryId,
      label: conventionParty.label,
      kind: directoryEntry.kind,
    })
    .from(conventionParty)
    .leftJoin(directoryEntry, eq(directoryEntry.id, conventionParty.directoryEntryId))
    .where(
      inArray(
        conventionParty.conventionId,
        rows.map((r) => r.c.id),
      ),
    )
    .orderBy(asc(conventionParty.label));
  return rows.map(({ c, referentName, fileSize }) => {
    const recordedStatus = c.status as RecordedStatus;
    return {
      id: c.id,
      structureId: c.structureId,
      title: c.title,
      reference: c.reference,
      level: c.level as ConventionView["level"],
      scope: c.scope as ConventionView["scope"],
      themes: c.themes as ConventionView["themes"],
      parties: parties
        .filter((p) => p.conventionId === c.id)
        .map((p) => ({
          directoryEntryId: p.directoryEntryId,
          label: p.label,
          kind: (p.kind as DirectoryKind | null) ?? null,
        })),
      recordedStatus,
      status: conventionStatus({ recordedStatus, endsOn: c.endsOn }, today, alertDays),
      signedOn: c.signedOn,
      startsOn: c.startsOn,
      endsOn: c.endsOn,
      endedOn: c.endedOn,
      renewedOn: c.renewedOn,
      daysLeft: c.endsOn ? daysBetween(today, c.endsOn) : null,
      renewalTerms: c.renewalTerms,
      tacitRenewal: c.tacitRenewal,
      referent: c.referentUserId && referentName ? { id: c.referentUserId, name: referentName } : null,
      signedFile:
        c.signedFileId && fileSize !== null
          ? { name: c.signedFileName ?? "convention.pdf", size: fileSize }
          : null,
    };
  });
}

/** Signed conventions not ended, with an end date: the candidates of the alerts. */
export function signedWithEnd(structureId?: string): SQL {
  return and(
    eq(convention.status, "signed"),
    structureId ? eq(convention.structureId, structureId) : undefined,
    isNull(convention.endedOn),
  ) as SQL;
}
