import { eq } from "drizzle-orm";
import { type DetentionEdit, releaseKindLabels } from "../../../common/detention/detention.schema";
import type { Db } from "../../db/createDb";
import { person, site } from "../../db/schema";
import { retargetPendingMessages } from "../notifications/retarget";
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
 * in the history). A person entering detention gets no more SMS or e-mail: what was still to leave
 * is withdrawn.
 */
export async function applyDetentionEdit(
  tx: Db,
  current: PersonRow,
  edit: DetentionEdit,
  now: Date,
): Promise<FieldChange[]> {
  if (edit.siteId) await assertDetentionSite(tx, current.structureId, edit.siteId);
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
  if (!current.detentionSiteId && next.detentionSiteId) {
    for (const channel of ["sms", "email"] as const) {
      await retargetPendingMessages(tx, {
        personId: current.id,
        channel,
        newRecipient: null,
        reason: "La personne est détenue : les convocations passent par l'établissement.",
        now,
      });
    }
  }
  return changes;
}
