import { createHash, randomBytes } from "node:crypto";
import type { ActionKind, OutcomeKey } from "../../../common/actions/actions.schema";
import { actionKindLabels, outcomeLabels, outcomesOfKind } from "../../../common/actions/actions.schema";

/** A link token: 32 random bytes, base64url (43 characters); only its SHA-256 is stored. */
export function newInvitationToken(): string {
  return randomBytes(32).toString("base64url");
}

export function invitationTokenHash(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/**
 * An invitation may be answered, or its answer changed, until the action starts (and not once the
 * action is cancelled, or the invitation withdrawn from its invitee).
 */
export function invitationState(
  action: { status: string; startsAt: Date },
  now: Date,
  invitation: { cancelledAt: Date | null } = { cancelledAt: null },
): "open" | "closed" | "cancelled" | "withdrawn" {
  if (action.status === "cancelled") return "cancelled";
  if (invitation.cancelledAt) return "withdrawn";
  return now.getTime() < action.startsAt.getTime() ? "open" : "closed";
}

/**
 * The figures given that the action's kind does not record, one issue each, in French: a working
 * group records none (its follow-up is its minutes and decisions), an atelier only its participants…
 * A figure of another kind is refused (400), never dropped in silence.
 */
export function outcomeIssues(
  kind: ActionKind,
  given: Partial<Record<OutcomeKey, number>>,
): { path: string; message: string }[] {
  const kept = outcomesOfKind[kind];
  const lower = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);
  return (Object.keys(given) as OutcomeKey[])
    .filter((key) => !kept.includes(key))
    .map((key) => ({
      path: `body.outcomes.${key}`,
      message:
        kept.length === 0
          ? `Un groupe de travail n'a pas de chiffres de bilan (« ${outcomeLabels[key]} ») : ses suites se notent dans le compte rendu et les décisions.`
          : `« ${outcomeLabels[key]} » ne se saisit pas pour ${kind === "atelier" || kind === "forum_emploi" ? "un" : "une"} ${lower(actionKindLabels[kind])} : seulement ${kept.map((k) => `« ${outcomeLabels[k]} »`).join(", ")}.`,
    }));
}

/** Only the outcomes of the action's kind are kept. */
export function outcomesFor(
  kind: ActionKind,
  given: Partial<Record<OutcomeKey, number>>,
): Record<string, number> {
  const kept: Record<string, number> = {};
  for (const key of outcomesOfKind[kind]) {
    const value = given[key];
    if (value !== undefined) kept[key] = value;
  }
  return kept;
}

/** The lowest seat number free among 1..capacity (null: full); no capacity: the next number. */
export function nextSeat(capacity: number | null, taken: number[]): number | null {
  const used = new Set(taken);
  const limit = capacity ?? taken.length + 1;
  for (let seat = 1; seat <= limit; seat++) if (!used.has(seat)) return seat;
  return null;
}

/** The address written in e-mails and on screen: the site (name and address) or the outside address. */
export function placeLabel(site: { name: string; address: string } | null, address: string): string {
  if (site) return site.address ? `${site.name} – ${site.address}` : site.name;
  return address;
}
