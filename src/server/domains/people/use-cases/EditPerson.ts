import { desc, eq } from "drizzle-orm";
import { errors } from "../../../../common/errors";
import type { EditPersonBody, EditResult } from "../../../../common/people/personEdit.schema";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { lockRows } from "../../../core/rowLocks";
import { inTransaction } from "../../../core/transaction";
import type { Db } from "../../../db/createDb";
import { measure, person } from "../../../db/schema";
import { applyDetentionEdit } from "../../detention/editDetention";
import { retargetPendingMessages, setSmsChoice, smsRefused } from "../../notifications/retarget";
import { type FieldChange, recordChanges } from "../changes";
import { assertFileOpen } from "../openFile";
import { mayEditContacts, nominativeScope } from "../policies";
import { findVisiblePerson } from "../queries";
import { normalizePhone } from "../rules";

type PersonRow = typeof person.$inferSelect;
const JUDICIAL = ["startDate", "offence", "court", "judgmentDate"] as const;

/** The fields whose value differs, as history rows. */
function diff<T extends Record<string, unknown>>(
  before: T,
  after: Partial<T>,
  prefix = "",
  judicial: readonly string[] = [],
): FieldChange[] {
  return Object.entries(after).flatMap(([key, value]) => {
    if (value === undefined) return [];
    const old = before[key] ?? "";
    const next = value ?? "";
    if (String(old) === String(next)) return [];
    return [
      {
        field: `${prefix}${key}`,
        before: String(old),
        after: String(next),
        judicial: judicial.includes(key),
      },
    ];
  });
}

type Seen = Record<string, string | null> | undefined;

/**
 * Three-way check of one section against the values the form was filled with (`seen`): a field
 * changed meanwhile and left as shown here keeps the newer value; changed here too (to something
 * else), it is a conflict, named with its current value. Returns the section to apply.
 */
function reconcile<T extends Record<string, unknown>>(
  section: string,
  mine: T,
  seen: Seen,
  current: Record<string, unknown>,
  conflicts: { path: string; message: string }[],
  normalize: (key: string, value: unknown) => string = (_key, value) => String(value ?? "").trim(),
): T {
  if (!seen) return mine;
  const kept: Record<string, unknown> = { ...mine };
  for (const [key, value] of Object.entries(mine)) {
    if (value === undefined || !Object.hasOwn(seen, key)) continue;
    const was = normalize(key, seen[key]);
    const now = normalize(key, current[key]);
    if (now === was) continue;
    const wanted = normalize(key, value);
    if (wanted === was) kept[key] = current[key] ?? (value === null ? null : "");
    else if (wanted !== now)
      conflicts.push({
        path: `body.${section}.${key}`,
        message: now
          ? `Modifié entre-temps : la valeur enregistrée est maintenant « ${String(current[key])} ».`
          : "Modifié entre-temps : ce champ a été vidé.",
      });
  }
  return kept as T;
}

/** Withdraws or re-targets pending messages after a contact change; returns the counts. */
async function followContactChanges(
  tx: Db,
  current: PersonRow,
  next: { phone: string; email: string; smsAtNewNumber: boolean | null },
  now: Date,
  changes: FieldChange[],
): Promise<{ withdrawn: number; requeued: number }> {
  let withdrawn = 0;
  let requeued = 0;
  if (next.phone !== current.phone) {
    const accepts = next.phone !== "" && next.smsAtNewNumber === true;
    if (next.phone !== "") {
      const refusedBefore = await smsRefused(tx, current.id);
      await setSmsChoice(tx, current.id, accepts, now);
      changes.push({
        field: "smsChoice",
        before: refusedBefore ? "refusés" : "acceptés",
        after: accepts ? "acceptés au nouveau numéro" : "refusés au nouveau numéro",
      });
    }
    const moved = await retargetPendingMessages(tx, {
      personId: current.id,
      channel: "sms",
      newRecipient: accepts ? next.phone : null,
      reason: accepts
        ? "Numéro de téléphone modifié : message renvoyé au nouveau numéro."
        : "Numéro de téléphone modifié : message retiré (la personne ne reçoit pas de SMS au nouveau numéro).",
      now,
    });
    withdrawn += moved.withdrawn;
    requeued += moved.requeued;
  }
  if (next.email !== current.email) {
    const moved = await retargetPendingMessages(tx, {
      personId: current.id,
      channel: "email",
      newRecipient: next.email || null,
      reason: next.email
        ? "Adresse électronique modifiée : message renvoyé à la nouvelle adresse."
        : "Adresse électronique supprimée : message retiré.",
      now,
    });
    withdrawn += moved.withdrawn;
    requeued += moved.requeued;
  }
  return { withdrawn, requeued };
}

/**
 * Corrects a file in one transaction: identity and measure by the active referent or the direction,
 * contacts also by the structure's counselors; judicial fields only by those who see them (anyone
 * else sending one gets a 403 and nothing is written). Each changed field leaves a history row and
 * a journal row. A new phone withdraws the SMS not yet sent to the old one, records the person's
 * answer about SMS at the new number and, if they accept, queues them again there.
 */
export async function editPerson(
  deps: Deps,
  ctx: RequestContext,
  personId: string,
  body: EditPersonBody,
): Promise<EditResult> {
  const scope = nominativeScope(ctx.actor);
  const now = ctx.clock.now();
  return inTransaction(deps.db, async (tx) => {
    // The row first, for update: two corrections at once no longer both take assertFileOpen's shared
    // lock and deadlock upgrading it; the second reads the file the first left (its history's
    // "before" is what it replaces).
    await lockRows(tx, person, [personId]);
    const found = await findVisiblePerson(tx, scope, personId);
    if (!found) throw errors.person.notFound();
    await assertFileOpen(tx, personId);
    const current = found.person;
    if (!mayEditContacts(found)) throw errors.access.forbidden();
    if ((body.identity || body.measure || body.detention) && !found.edit) throw errors.access.forbidden();
    if (body.measure && !found.full && JUDICIAL.some((f) => body.measure?.[f] !== undefined))
      throw errors.access.forbidden();

    // Corrections based on what the form showed: another tab's correction since is not undone.
    const conflicts: { path: string; message: string }[] = [];
    if (body.identity) {
      body.identity = reconcile("identity", body.identity, body.expected?.identity, current, conflicts);
    }
    if (body.contacts) {
      const phoneAware = (key: string, value: unknown) =>
        key === "phone"
          ? (normalizePhone(String(value ?? "")) ?? String(value ?? ""))
          : String(value ?? "").trim();
      body.contacts = reconcile(
        "contacts",
        body.contacts,
        body.expected?.contacts,
        current,
        conflicts,
        phoneAware,
      );
    }
    const [latestMeasure] = body.measure
      ? await tx
          .select()
          .from(measure)
          .where(eq(measure.personId, personId))
          .orderBy(desc(measure.endDate))
          .limit(1)
      : [];
    if (body.measure && latestMeasure) {
      body.measure = reconcile("measure", body.measure, body.expected?.measure, latestMeasure, conflicts);
    }
    if (conflicts.length > 0) throw errors.person.editedMeanwhile(conflicts);

    const changes: FieldChange[] = [];
    const personUpdate: Partial<PersonRow> = {};
    if (body.identity) {
      changes.push(...diff(current, body.identity));
      Object.assign(personUpdate, body.identity);
    }
    let messages = { withdrawn: 0, requeued: 0 };
    if (body.contacts) {
      const { smsAtNewNumber, ...contacts } = body.contacts;
      const phone = normalizePhone(contacts.phone);
      if (phone === null) throw errors.person.invalidPhone();
      if (phone !== current.phone && phone !== "" && smsAtNewNumber === null) {
        throw errors.request.invalid([
          {
            path: "body.contacts.smsAtNewNumber",
            message: "Indiquez si la personne accepte de recevoir des SMS à ce nouveau numéro.",
          },
        ]);
      }
      const next = { ...contacts, phone };
      changes.push(...diff(current, next));
      Object.assign(personUpdate, next);
      messages = await followContactChanges(tx, current, { ...next, smsAtNewNumber }, now, changes);
    }
    if (Object.keys(personUpdate).length > 0) {
      await tx.update(person).set(personUpdate).where(eq(person.id, personId));
    }
    if (body.measure) {
      const latest = latestMeasure;
      if (!latest) throw errors.person.notFound();
      const { startDate, offence, court, judgmentDate, ...open } = body.measure;
      const next = { ...open, startDate, offence, court, judgmentDate };
      const merged = {
        ...latest,
        ...Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined)),
      };
      if (merged.startDate > merged.endDate) {
        throw errors.request.invalid([
          { path: "body.measure.endDate", message: "La fin de mesure doit suivre son début." },
        ]);
      }
      changes.push(...diff(latest, next, "measure.", JUDICIAL));
      await tx.update(measure).set(merged).where(eq(measure.id, latest.id));
    }
    if (body.detention) {
      // The birth date this correction leaves: the actual release may not precede it.
      const birthDate = body.identity?.birthDate ?? current.birthDate;
      changes.push(...(await applyDetentionEdit(tx, current, body.detention, now, birthDate)));
    }
    await recordChanges(tx, ctx, {
      personId,
      structureId: current.structureId,
      changes,
      reason: body.reason,
      action: "person.updated",
    });
    return {
      id: personId,
      changed: changes.map((c) => c.field),
      withdrawnMessages: messages.withdrawn,
      requeuedMessages: messages.requeued,
    };
  });
}
