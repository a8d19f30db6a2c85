import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import {
  appointmentWords,
  defaultTemplates,
  type NotificationChannel,
  type NotificationKind,
  type PlaceholderValues,
  personFacingAddress,
  personFacingSiteName,
  renderSms,
  renderTemplate,
} from "../../../common/notifications/templates";
import type { Db } from "../../db/createDb";
import { convocation, type notification, notificationTemplate, site, smsOptOut } from "../../db/schema";
import { whatToBring } from "../agenda/letter";
import { demarcheLabels } from "../catalogue/queries";
import { loadSettings, messagesFrom, readPersonReach } from "./outbox";
import { notReachedReason, OPTED_OUT } from "./reach";
import { smsSendableAt } from "./rules";

type NotificationRow = typeof notification.$inferSelect;

export type Composed =
  | { action: "send"; subject: string; body: string }
  | { action: "skip"; reason: string }
  | { action: "defer"; until: Date };

export interface Links {
  publicUrl: string;
}

const STILL_PLANNED: NotificationKind[] = ["summon", "reminder", "reschedule"];

const TOKEN_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
export const newStopToken = (): string =>
  [...randomBytes(12)].map((b) => TOKEN_ALPHABET[b % TOKEN_ALPHABET.length]).join("");

/** The person's stop-SMS token, created with their first SMS. */
async function stopToken(db: Db, personId: string): Promise<{ token: string; optedOut: boolean }> {
  await db.insert(smsOptOut).values({ personId, token: newStopToken() }).onConflictDoNothing();
  const [row] = await db.select().from(smsOptOut).where(eq(smsOptOut.personId, personId));
  return { token: row!.token, optedOut: row!.optedOutAt !== null };
}

/** A structure's own template for kind × channel, or the national default. */
export async function templateFor(
  db: Db,
  structureId: string,
  kind: NotificationKind,
  channel: "sms" | "email",
): Promise<{ subject: string; body: string }> {
  const [own] = await db
    .select({ subject: notificationTemplate.subject, body: notificationTemplate.body })
    .from(notificationTemplate)
    .where(
      and(
        eq(notificationTemplate.structureId, structureId),
        eq(notificationTemplate.kind, kind),
        eq(notificationTemplate.channel, channel),
      ),
    );
  return own ?? defaultTemplates[kind][channel];
}

/**
 * What to do with a due notification about a convocation, decided at sending time: the
 * appointment may have been cancelled, the person may be held on its day, have lost the contact or
 * opted out (`notReachedReason`), still be held before a release, it may be night.
 */
export async function composeConvocationMessage(
  db: Db,
  row: NotificationRow,
  now: Date,
  links: Links,
): Promise<Composed> {
  const kind = row.kind as NotificationKind;
  const [found] = await db
    .select({ convocation, site })
    .from(convocation)
    .innerJoin(site, eq(site.id, convocation.siteId))
    .where(eq(convocation.id, row.convocationId!));
  if (!found) return { action: "skip", reason: "Convocation introuvable." };
  const c = found.convocation;
  if (STILL_PLANNED.includes(kind) && c.status !== "planned")
    return { action: "skip", reason: "Rendez-vous annulé ou passé avant l'envoi." };
  if (kind === "reminder" && c.startsAt.getTime() <= now.getTime())
    return { action: "skip", reason: "Rendez-vous déjà commencé." };
  // The safety net, whatever path changed the file since it was queued: the same rule on the
  // detention and contacts as recorded now (held on the day, contact removed, SMS refused: withheld),
  // and nothing to a detainee before the release morning (`messagesFrom`, as `followDetention` does).
  const who = await readPersonReach(db, c.personId);
  const notReached = notReachedReason(c, row.channel, who, row.recipient);
  if (notReached) return { action: "skip", reason: notReached };
  const releaseMorning = messagesFrom(who, now);
  if (releaseMorning.getTime() > now.getTime()) return { action: "defer", until: releaseMorning };
  const about = {
    structureId: row.structureId,
    kind,
    startsAt: c.startsAt,
    site: found.site,
    demarcheTypeIds: c.demarcheTypeIds,
  };
  if (row.channel === "email") return { action: "send", ...(await convocationText(db, about, "email", "")) };
  const stop = await stopToken(db, c.personId);
  if (stop.optedOut) return { action: "skip", reason: OPTED_OUT };
  const settings = await loadSettings(db, row.structureId);
  const sendableAt = smsSendableAt(now, { from: settings.quietFrom, to: settings.quietTo });
  if (sendableAt.getTime() > now.getTime()) return { action: "defer", until: sendableAt };
  return { action: "send", ...(await convocationText(db, about, "sms", stopUrl(links, stop.token))) };
}

/** The personal link every SMS ends with (`renderSms`), which records the opt-out. */
export const stopUrl = (links: Links, token: string): string => `${links.publicUrl}/stop/${token}`;

/** What a message about a convocation says, read of the convocation (or of the booking form). */
export interface MessageAbout {
  structureId: string;
  kind: NotificationKind;
  startsAt: Date;
  site: { name: string; address: string; phone: string };
  demarcheTypeIds: string[];
}

/**
 * THE text of a message about a convocation, as the person receives it: the structure's template
 * (or the national default) filled with the appointment, the site as a person reads it, the
 * structure's preparation link and what to bring. Read by the worker when it sends and by the
 * booking form's preview (agenda `previewConvocationMessages`), so the preview is what leaves. An
 * SMS has no subject and ends with the stop link.
 */
export async function convocationText(
  db: Db,
  about: MessageAbout,
  channel: NotificationChannel,
  smsStopUrl: string,
): Promise<{ subject: string; body: string }> {
  const settings = await loadSettings(db, about.structureId);
  const demarches = await demarcheLabels(db, about.demarcheTypeIds);
  const values: PlaceholderValues = {
    ...appointmentWords(about.startsAt),
    lieu: personFacingSiteName(about.site.name),
    adresse: personFacingAddress(about.site.address),
    telephone: about.site.phone,
    lien_preparation: settings.preparationUrl,
    a_apporter: whatToBring(demarches).slice(1).join(", "),
  };
  const template = await templateFor(db, about.structureId, about.kind, channel);
  if (channel === "email")
    return { subject: renderTemplate(template.subject, values), body: renderTemplate(template.body, values) };
  return { subject: "", body: renderSms(template.body, values, smsStopUrl) };
}

/** The email that tells the direction messages fail or may not have arrived; it names nobody. */
export function failureAlertMessage(
  failures: { failed: number; uncertain: number },
  links: Links,
): { subject: string; body: string } {
  const lines = [
    failures.failed > 0
      ? `${failures.failed} messages de convocation n'ont pas pu être envoyés ces dernières 24 heures.`
      : "",
    failures.uncertain > 0
      ? `${failures.uncertain} messages de convocation sont en « envoi incertain » : le fournisseur n'a pas confirmé leur envoi, ils ont peut-être été reçus et ne seront pas renvoyés.`
      : "",
  ].filter(Boolean);
  return {
    subject: "Passerelle : des SMS ou courriels de convocation n'ont pas pu être envoyés",
    body: `Bonjour,\n\n${lines.join("\n\n")}\n\nLes personnes concernées n'ont peut-être pas été prévenues : consultez le journal des notifications pour les identifier et leur remettre la lettre de convocation.\n\n${links.publicUrl}/notifications\n\nPasserelle`,
  };
}
