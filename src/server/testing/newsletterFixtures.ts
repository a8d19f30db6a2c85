import type { Db } from "../db/createDb";
import {
  collectiveAction,
  convention,
  conventionParty,
  directoryContact,
  directoryEntry,
} from "../db/schema";

let counter = 0;

/**
 * A directory entry of the structure with `subscribed` contacts subscribed to the newsletter, and
 * the given others (not subscribed, or unsubscribed): the newsletter's recipients in tests.
 */
export async function someContacts(
  db: Db,
  structureId: string,
  subscribed: number,
  others: { unsubscribed?: number; notSubscribed?: number } = {},
): Promise<{ entryId: string; contacts: { id: string; email: string }[] }> {
  counter += 1;
  const [entry] = await db
    .insert(directoryEntry)
    .values({ structureId, name: `Partenaire ${counter}`, kind: "association" })
    .returning({ id: directoryEntry.id });
  const rows = [
    ...Array.from({ length: subscribed }, (_, i) => ({ i, subscribed: true, unsubscribedAt: null })),
    ...Array.from({ length: others.unsubscribed ?? 0 }, (_, i) => ({
      i: subscribed + i,
      subscribed: false,
      unsubscribedAt: new Date("2026-05-01T08:00:00Z"),
    })),
    ...Array.from({ length: others.notSubscribed ?? 0 }, (_, i) => ({
      i: subscribed + (others.unsubscribed ?? 0) + i,
      subscribed: false,
      unsubscribedAt: null,
    })),
  ];
  const contacts: { id: string; email: string }[] = [];
  for (let start = 0; start < rows.length; start += 1000) {
    const inserted = await db
      .insert(directoryContact)
      .values(
        rows.slice(start, start + 1000).map((r) => ({
          entryId: entry!.id,
          name: `Contact ${counter}-${r.i}`,
          email: `contact${r.i}.p${counter}@partenaire.invalid`,
          newsletterSubscribed: r.subscribed,
          unsubscribedAt: r.unsubscribedAt,
        })),
      )
      .returning({
        id: directoryContact.id,
        email: directoryContact.email,
        subscribed: directoryContact.newsletterSubscribed,
      });
    contacts.push(...inserted.filter((c) => c.subscribed).map(({ id, email }) => ({ id, email })));
  }
  return { entryId: entry!.id, contacts };
}

/** A forum emploi `inDays` days after `now`, and a convention signed `signedDaysAgo` days before it. */
export async function aForumAndAConvention(
  db: Db,
  structureId: string,
  now: Date,
  options: { inDays?: number; signedDaysAgo?: number } = {},
): Promise<void> {
  const day = 86_400_000;
  const starts = new Date(now.getTime() + (options.inDays ?? 10) * day);
  await db.insert(collectiveAction).values({
    structureId,
    kind: "forum_emploi",
    title: "Forum emploi de Meaux",
    startsAt: starts,
    endsAt: new Date(starts.getTime() + 4 * 3_600_000),
    address: "Salle des fêtes, 1 place de l'Hôtel de Ville, 77100 Meaux",
    status: "planned",
  });
  const [signed] = await db
    .insert(convention)
    .values({
      structureId,
      title: "Convention CAF – SPIP 77",
      level: "departmental",
      scope: "both",
      status: "signed",
      signedOn: new Date(now.getTime() - (options.signedDaysAgo ?? 20) * day).toISOString().slice(0, 10),
    })
    .returning({ id: convention.id });
  await db.insert(conventionParty).values([
    { conventionId: signed!.id, label: "CAF de Seine-et-Marne" },
    { conventionId: signed!.id, label: "SPIP de Seine-et-Marne" },
  ]);
}
