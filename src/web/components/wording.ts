import { needDomainLabels } from "../../common/agenda/agenda.schema";
import type { ConsentView } from "../../common/consent/consent.schema";
import { frenchList } from "../../common/frenchList";
import type { ClosingPreview } from "../../common/people/closing.schema";
import type { TimelineEvent } from "../../common/people/people.schema";
import { plural, pluralWord } from "../../common/plural";
import { serviceKindLabels } from "../../common/roles";
import { formatAppointment } from "./dates";

/** The person file's needs line: "3 besoins repérés depuis le début : 1 résolu, 2 en cours." */
export function needsProgressText(progress: { opened: number; resolved: number; open: number }): string {
  if (progress.opened === 0) return "Aucun besoin repéré pour l'instant.";
  return `${plural(progress.opened, "besoin repéré", "besoins repérés")} depuis le début : ${plural(progress.resolved, "résolu", "résolus")}, ${progress.open} en cours.`;
}

/** The closing dialog's line about reminders not sent yet; nothing to say when there are none. */
export function pendingMessagesText(count: number): string | null {
  if (count === 0) return null;
  return count === 1
    ? "retire le message pas encore envoyé (rappel) ;"
    : `retire les ${count} messages pas encore envoyés (rappels) ;`;
}

/** How a cancelled convocation reaches its person (the closing preview's `notice`). */
const closingNotices: Record<ClosingPreview["convocations"][number]["notice"], string> = {
  message: "la personne est prévenue par les moyens par lesquels elle avait été convoquée",
  establishment:
    "la personne, détenue ce jour-là, ne reçoit ni SMS ni courriel : prévenez-la par l'établissement",
  agent: "aucun SMS ni courriel n'avait été choisi, aucun message ne part : prévenez-la vous-même",
};

/**
 * The closing dialog's line about the future convocations it cancels and how the person hears of
 * it: once for all when they are told alike, otherwise after each convocation.
 */
export function closingConvocationsText(convocations: ClosingPreview["convocations"]): string {
  if (convocations.length === 0) return "n'annule aucune convocation (aucune à venir) ;";
  const which = convocations.length === 1 ? "la convocation" : `les ${convocations.length} convocations`;
  const when = (c: ClosingPreview["convocations"][number]) =>
    `${formatAppointment(c.startsAt)}, ${c.siteName}`;
  const notices = new Set(convocations.map((c) => c.notice));
  if (notices.size === 1) {
    return `annule ${which} à venir (${convocations.map(when).join(" ; ")}) : ${closingNotices[convocations[0]!.notice]} ;`;
  }
  return `annule ${which} à venir : ${convocations.map((c) => `${when(c)} (${closingNotices[c.notice]})`).join(" ; ")} ;`;
}

/** A collective action's places: "2 personnes convoquées sur 12 places", or without a limit. */
export function placesText(convoked: number, capacity: number | null): string {
  const people = plural(convoked, "personne convoquée", "personnes convoquées");
  return capacity === null
    ? `${people}, places sans limite`
    : `${people} sur ${plural(capacity, "place", "places")}`;
}

/** The same in a list's cell, where the column says "Personnes convoquées": "2 / 12", "2 (sans limite)". */
export function convokedCell(convoked: number, capacity: number | null): string {
  return capacity === null ? `${convoked} (sans limite)` : `${convoked} / ${capacity}`;
}

/** A démarche's documents: "1 / 3 fournie", "2 / 3 fournies". */
export function providedText(provided: number, total: number): string {
  return `${provided} / ${total} ${pluralWord(provided, "fournie", "fournies")}`;
}

/** Typed text ended as a sentence: its own final point (or ! ? …) kept, never doubled (« CAF.. »). */
export function asSentence(typed: string): string {
  const text = typed.trim();
  return /[.!?…]$/.test(text) ? text : `${text}.`;
}

/**
 * The consent in force, in one sentence: what is shared, with whom, why ("… avec le SPIP,
 * l'association et la CAF. But : …").
 */
export function consentText(c: ConsentView): string {
  const what = [
    c.shareNotes ? "les notes partagées" : null,
    c.shareDemarcheDetails ? "le détail des démarches" : null,
    c.domains.length > 0
      ? `ses besoins (${frenchList(c.domains.map((d) => needDomainLabels[d].toLowerCase()))})`
      : null,
  ].filter((part): part is string => part !== null);
  const withWhom = [...c.recipients.map((r) => serviceKindLabels[r]), ...c.partners.map((p) => p.name)];
  return `La personne accepte de partager ${what.length > 0 ? frenchList(what) : "ses informations"} avec ${frenchList(withWhom)}. But : ${asSentence(c.purpose)}`;
}

/**
 * Who did a line of the person's history: the name the server gives (it names every author it
 * knows, the person for their own acts), "Envoi automatique" for a message; otherwise nothing — a
 * file written by the seeds or whose journal was purged has no author to name, and "Non connu"
 * would read as a mistake.
 */
export function historyAuthor(event: Pick<TimelineEvent, "actorName" | "kind">): string | null {
  if (event.actorName) return event.actorName;
  return event.kind === "message" ? "Envoi automatique" : null;
}

/**
 * Under a long text's label, from 80 % of its limit: how many characters are left, then that the
 * limit is reached (the browser stops the typing and cuts a pasted text there, silently otherwise).
 * Nothing below, `undefined` so that a field without a hint keeps none.
 */
export function lengthHint(length: number, max: number): string | undefined {
  if (length < max * 0.8) return undefined;
  if (length >= max) return `Limite de ${max} caractères atteinte : un texte plus long est coupé.`;
  return `${length} caractères sur ${max} au plus.`;
}

/** A field's hint followed by its length hint, when there is one. */
export function withLengthHint(hint: string | undefined, length: number, max: number): string | undefined {
  const count = lengthHint(length, max);
  return hint && count ? `${hint} ${count}` : (hint ?? count);
}
