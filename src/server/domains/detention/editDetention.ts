import { and, eq, inArray } from "drizzle-orm";
import { parisDay } from "../../../common/calendar";
import { type DetentionEdit, releaseKindLabels } from "../../../common/detention/detention.schema";
import { type DetentionDates, heldIn } from "../../../common/detention/place";
import { releasedOnProblem } from "../../../common/detention/release";
import { sasReleaseError } from "../../../common/detention/sas";
import { errors } from "../../../common/errors";
import type { Db } from "../../db/createDb";
import { convocation, notification, person, site } from "../../db/schema";
import { messagesFrom } from "../notifications/outbox";
import { HELD_ON_THE_DAY, heldOnConvocationDay } from "../notifications/reach";
import type { FieldChange } from "../people/changes";
import { assertDetentionSite } from "./queries";

type PersonRow = typeof person.$inferSelect;

async function siteName(tx: Db, siteId: string | null): Promise<string> {
  if (!siteId) return "";
  const [row] = await tx.select({ name: site.name }).from(site).where(eq(site.id, siteId));
  return row?.name ?? "";
}

const kindLabel = (kind: string | null): string =>
  kind ? (releaseKindLabels[kind as keyof typeof releaseKindLabels] ?? kind) : "";

/**
 * Milieu fermé part of a file's correction (ADR 0028), in the caller's transaction: the site must be
 * a prison or SAS of the structure; the prison number is a judicial change (hidden from counselors
 * in the history). The messages still to leave follow the new detention (`followDetention`): a
 * person held on a convocation's day gets no SMS or e-mail about it. The actual release date is
 * not before `birthDate` (the one this correction leaves) nor, when it changes, after today
 * (`releasedOnProblem`): a 400 under the field, nothing written.
 */
export async function applyDetentionEdit(
  tx: Db,
  current: PersonRow,
  edit: DetentionEdit,
  now: Date,
  birthDate: string = current.birthDate,
): Promise<FieldChange[]> {
  const today = parisDay(now);
  // A day unchanged since it was saved is not refused for having been typed ahead before the rule
  // (a correction of another field goes through); a new one is checked against the server's day.
  const releasedOnMessage = releasedOnProblem(edit.releasedOn, {
    birthDate,
    ...(edit.releasedOn !== current.releasedOn ? { today } : {}),
  });
  const releasedOnIssues = releasedOnMessage
    ? [{ path: "body.detention.releasedOn", message: releasedOnMessage }]
    : [];
  const kind = edit.siteId
    ? await assertDetentionSite(
        tx,
        current.structureId,
        edit.siteId,
        current.detentionSiteId,
        "body.detention.siteId",
      )
    : null;
  // The SAS rule (ADR 0028, addendum "SAS"): a 400 under the release date, before anything is written.
  const sasMessage = sasReleaseError(
    { siteId: current.detentionSiteId, expectedReleaseDate: current.expectedReleaseDate },
    { siteId: edit.siteId, expectedReleaseDate: edit.expectedReleaseDate },
    kind === "sas",
    today,
  );
  if (sasMessage) throw errors.detention.sasRelease(sasMessage, releasedOnIssues);
  if (releasedOnIssues.length > 0) throw errors.request.invalid(releasedOnIssues);
  const next = {
    detentionSiteId: edit.siteId,
    prisonNumber: edit.siteId ? edit.prisonNumber || null : null,
    expectedReleaseDate: edit.siteId ? edit.expectedReleaseDate : null,
    releaseKind: edit.siteId ? edit.releaseKind : null,
    releasedOn: edit.releasedOn,
  };
  const changes: FieldChange[] = [];
  const push = (field: string, before: string, after: string, judicial = false): void => {
    if (before !== after) changes.push({ field: `detention.${field}`, before, after, judicial });
  };
  push("site", await siteName(tx, current.detentionSiteId), await siteName(tx, next.detentionSiteId));
  push("prisonNumber", current.prisonNumber ?? "", next.prisonNumber ?? "", true);
  push("expectedReleaseDate", current.expectedReleaseDate ?? "", next.expectedReleaseDate ?? "");
  push("releaseKind", kindLabel(current.releaseKind), kindLabel(next.releaseKind));
  push("releasedOn", current.releasedOn ?? "", next.releasedOn ?? "");
  if (changes.length === 0) return [];
  await tx.update(person).set(next).where(eq(person.id, current.id));
  await followDetention(
    tx,
    current.id,
    {
      siteId: next.detentionSiteId,
      releasedOn: next.releasedOn,
      expectedReleaseDate: next.expectedReleaseDate,
    },
    now,
  );
  return changes;
}

/**
 * The person's messages still to leave follow their detention as now recorded, by the one rule
 * (`heldIn`, ADR 0028): a convocation's messages are withdrawn when the person is held on its day;
 * otherwise, held today, they wait for the release morning (`messagesFrom`) — a reminder that would
 * then leave with the first message of the same channel is withdrawn (never two at once). Nothing is
 * queued again: what was withdrawn or sent stays so.
 */
export async function followDetention(
  tx: Db,
  personId: string,
  detention: DetentionDates,
  now: Date,
): Promise<void> {
  const pending = await tx
    .select({
      id: notification.id,
      kind: notification.kind,
      channel: notification.channel,
      convocationId: notification.convocationId,
      notBefore: notification.notBefore,
      startsAt: convocation.startsAt,
    })
    .from(notification)
    .leftJoin(convocation, eq(convocation.id, notification.convocationId))
    .where(and(eq(notification.personId, personId), eq(notification.status, "pending")));
  const from = messagesFrom(detention, now);
  const heldToday = heldIn(detention, parisDay(now)) !== null;
  const withdraw: string[] = [];
  const postpone: string[] = [];
  for (const m of pending) {
    const held = m.startsAt ? heldOnConvocationDay(detention, m.startsAt) : heldToday;
    if (held) withdraw.push(m.id);
    else if (m.notBefore < from) postpone.push(m.id);
  }
  for (const m of pending) {
    if (m.kind !== "reminder" || !postpone.includes(m.id)) continue;
    const first = pending.some(
      (o) =>
        o.id !== m.id &&
        o.convocationId === m.convocationId &&
        o.channel === m.channel &&
        o.kind !== "reminder" &&
        postpone.includes(o.id),
    );
    if (first) {
      postpone.splice(postpone.indexOf(m.id), 1);
      withdraw.push(m.id);
    }
  }
  if (withdraw.length > 0)
    await tx
      .update(notification)
      .set({ status: "skipped", lastError: HELD_ON_THE_DAY })
      .where(and(inArray(notification.id, withdraw), eq(notification.status, "pending")));
  if (postpone.length > 0)
    await tx
      .update(notification)
      .set({ notBefore: from })
      .where(and(inArray(notification.id, postpone), eq(notification.status, "pending")));
}
