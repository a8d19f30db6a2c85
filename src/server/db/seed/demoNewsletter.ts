import { eq } from "drizzle-orm";
import type { Db } from "../createDb";
import {
  directoryContact,
  newsletterDelivery,
  newsletterIssue,
  notification,
  partner,
  user,
} from "../schema";
import { directoryEntryNamed } from "./directoryEntryNamed";

const DAY = 86_400_000;

/**
 * The partners' newsletter of the demo (ADR 0032): a few partner contacts of the directory (most
 * subscribed, one who left, one never subscribed) and issue n° 1 sent six weeks ago, so the archive
 * and the composer have something to show. The convention signed since (the CAF's) comes from
 * demoDirectory.ts, the forum emploi to come from demoActions.ts: the demo has one of each.
 * Addresses end in .invalid: they can never reach anybody.
 */
export async function seedDemoNewsletter(db: Db, structureId: string, today: Date): Promise<void> {
  const [caf] = await db.select({ id: partner.id }).from(partner).where(eq(partner.code, "caf"));
  const [manager] = await db
    .select({ id: user.id })
    .from(user)
    .where(eq(user.email, "direction@demo.passerelle.fr"));
  const entries: { id: string; name: string }[] = [];
  for (const values of [
    { structureId, name: "CAF de Seine-et-Marne", kind: "local_correspondent", partnerId: caf?.id ?? null },
    { structureId, name: "Mission locale de la Brie et des Morins", kind: "mission_locale" },
    { structureId, name: "SIAO 77", kind: "siao" },
    { structureId, name: "Tremplin Bâtiment 77", kind: "iae_employer", iaeKind: "ACI" as const },
  ])
    entries.push(await directoryEntryNamed(db, values));
  const entry = (name: string) => entries.find((e) => e.name.startsWith(name))?.id as string;
  const longAgo = new Date(today.getTime() - 200 * DAY);
  const contacts = await db
    .insert(directoryContact)
    .values([
      {
        entryId: entry("CAF"),
        name: "Claire Martin",
        function: "Correspondante partenaires",
        email: "claire.martin@caf77.invalid",
        newsletterSubscribed: true,
        createdAt: longAgo,
      },
      {
        entryId: entry("CAF"),
        name: "Julien Petit",
        function: "Conseiller service social",
        email: "julien.petit@caf77.invalid",
        newsletterSubscribed: true,
        createdAt: longAgo,
      },
      {
        entryId: entry("Mission locale"),
        name: "Sarah Benali",
        function: "Conseillère insertion justice",
        email: "sarah.benali@mission-locale77.invalid",
        newsletterSubscribed: true,
        createdAt: longAgo,
      },
      {
        entryId: entry("SIAO"),
        name: "Marc Lefèvre",
        function: "Coordinateur",
        email: "marc.lefevre@siao77.invalid",
        newsletterSubscribed: false,
        unsubscribedAt: new Date(today.getTime() - 20 * DAY),
        createdAt: longAgo,
      },
      {
        entryId: entry("Tremplin"),
        name: "Nadia Rousseau",
        function: "Chargée de recrutement",
        email: "nadia.rousseau@tremplin77.invalid",
        newsletterSubscribed: true,
        createdAt: longAgo,
      },
      {
        entryId: entry("Tremplin"),
        name: "Éric Dubois",
        function: "Encadrant technique",
        email: "eric.dubois@tremplin77.invalid",
        newsletterSubscribed: false,
        createdAt: longAgo,
      },
    ])
    .returning({
      id: directoryContact.id,
      email: directoryContact.email,
      subscribed: directoryContact.newsletterSubscribed,
    });
  // Issue n° 1, sent six weeks ago to the three contacts subscribed then.
  const sentAt = new Date(today.getTime() - 42 * DAY);
  const intro =
    "Bienvenue dans la première lettre d'information de la structure France services du SPIP de Seine-et-Marne.";
  const [first] = await db
    .insert(newsletterIssue)
    .values({
      structureId,
      number: 1,
      title: "Lancement de la structure France services",
      status: "sent",
      blocks: [{ type: "text", markdown: intro }],
      content: {
        structureName: "France services SPIP 77 – PIMM'S Médiation 77",
        number: 1,
        title: "Lancement de la structure France services",
        blocks: [
          {
            type: "text",
            html: `<p>${intro.replace(/'/g, "&#39;")}</p>\n<p>Nos permanences se tiennent à Fontainebleau, La Rochette et Meaux, sur convocation du CPIP référent.</p>\n`,
          },
        ],
      },
      sentAt,
      sentBy: manager?.id ?? null,
      createdBy: manager?.id ?? null,
      createdAt: sentAt,
      updatedAt: sentAt,
    })
    .returning({ id: newsletterIssue.id });
  const receivers = contacts.filter((c) => c.subscribed).slice(0, 3);
  for (const [i, c] of receivers.entries()) {
    const [sent] = await db
      .insert(notification)
      .values({
        structureId,
        directoryContactId: c.id,
        kind: "newsletter",
        channel: "email",
        recipient: c.email,
        status: "sent",
        notBefore: sentAt,
        sentAt,
        attempts: 1,
        subject: "Lettre d'information n° 1 : Lancement de la structure France services",
        body: intro,
        createdAt: sentAt,
      })
      .returning({ id: notification.id });
    await db.insert(newsletterDelivery).values({
      issueId: first!.id,
      directoryContactId: c.id,
      email: c.email,
      notificationId: sent!.id,
      tokenHash: `demo-issue-1-${i}`,
      createdAt: sentAt,
    });
  }
}
