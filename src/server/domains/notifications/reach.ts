import { parisDay } from "../../../common/calendar";
import { type DetentionDates, heldIn } from "../../../common/detention/place";
import type { NotificationChannel } from "../../../common/notifications/templates";

/**
 * THE rule "do messages about this convocation reach its person" (ADR 0028, addendum "messages"),
 * pure, read by everyone who decides or shows it: the outbox when it queues (`recipients`), the
 * worker again when it sends (`composeConvocationMessage`), the convocations' `messages` flag
 * (agenda `toConvocationView`) and the closing dialog's preview (people `previewClosing`).
 */

/** What the rule reads of a convocation: its day, and the channels asked for. */
export interface AskedMessages {
  startsAt: Date;
  notifySms: boolean;
  notifyEmail: boolean;
}

/** What the rule reads of the person beyond their detention: contacts and SMS refusal. */
export interface Contacts {
  phone: string | null;
  email: string | null;
  optedOutAt: Date | null;
}

export interface Reached {
  channel: NotificationChannel;
  recipient: string;
  /** The person refused SMS: the message is recorded as skipped, never sent. */
  optedOut: boolean;
}

/** Whether the person is held on the convocation's Paris day (`heldIn`, an expected release counted). */
export function heldOnConvocationDay(detention: DetentionDates | null, startsAt: Date): boolean {
  return heldIn(detention, parisDay(startsAt)) !== null;
}

/**
 * Whether messages about the convocation reach its person, contacts aside: a channel asked for, and
 * never to a detainee (held on the convocation's day: the establishment is told instead).
 */
export function messagesReach(c: AskedMessages, detention: DetentionDates | null): boolean {
  return silenceReason(c, detention) === null;
}

/** Why no message about the convocation reaches its person (`messagesReach` false), or null. */
export type Silence = "detained" | "noChannel";

/**
 * The same rule, saying why: held on the convocation's day first (whatever was asked, the
 * establishment is told), else no channel asked; null when messages reach the person.
 */
export function silenceReason(c: AskedMessages, detention: DetentionDates | null): Silence | null {
  if (heldOnConvocationDay(detention, c.startsAt)) return "detained";
  return c.notifySms || c.notifyEmail ? null : "noChannel";
}

/**
 * The same rule with the person's contacts: each channel asked for that reaches them, with its
 * recipient (a channel without contact is left out).
 */
export function reachedChannels(c: AskedMessages, who: DetentionDates & Contacts): Reached[] {
  if (!messagesReach(c, who)) return [];
  const list: Reached[] = [];
  if (c.notifySms && who.phone)
    list.push({ channel: "sms", recipient: who.phone, optedOut: who.optedOutAt !== null });
  if (c.notifyEmail && who.email) list.push({ channel: "email", recipient: who.email, optedOut: false });
  return list;
}

export const HELD_ON_THE_DAY =
  "La personne est détenue ce jour-là : les convocations passent par l'établissement.";
export const OPTED_OUT = "La personne a demandé à ne plus recevoir de SMS.";
const CONTACT_REMOVED: Record<NotificationChannel, string> = {
  sms: "Numéro de téléphone supprimé : message retiré.",
  email: "Adresse électronique supprimée : message retiré.",
};
const CONTACT_CHANGED: Record<NotificationChannel, string> = {
  sms: "Numéro de téléphone modifié depuis la mise en file : message retiré.",
  email: "Adresse électronique modifiée depuis la mise en file : message retiré.",
};

/**
 * Checked again when a queued message about the convocation is about to leave (the worker): why it
 * no longer reaches the person on its channel — held on the convocation's day, contact removed or
 * changed since it was queued (`queuedTo`), SMS refused — or null. The same rule as when it was
 * queued, on what is recorded now, whatever path changed it.
 */
export function notReachedReason(
  c: { startsAt: Date },
  channel: NotificationChannel,
  who: DetentionDates & Contacts,
  queuedTo: string,
): string | null {
  if (heldOnConvocationDay(who, c.startsAt)) return HELD_ON_THE_DAY;
  const asked = { startsAt: c.startsAt, notifySms: channel === "sms", notifyEmail: channel === "email" };
  const [target] = reachedChannels(asked, who);
  if (!target) return CONTACT_REMOVED[channel];
  // Every edit moves the queued messages to the new contact (`retargetPendingMessages`); a path that
  // did not must never send a person's convocation to a number or an address that is no longer theirs.
  if (target.recipient !== queuedTo) return CONTACT_CHANGED[channel];
  return target.optedOut ? OPTED_OUT : null;
}
