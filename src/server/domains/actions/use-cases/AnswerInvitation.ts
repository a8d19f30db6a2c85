import { eq } from "drizzle-orm";
import type { z } from "zod";
import type { ActionKind, publicInvitationSchema } from "../../../../common/actions/actions.schema";
import { errors } from "../../../../common/errors";
import { journal } from "../../../core/audit";
import type { Deps, RequestMeta } from "../../../core/deps";
import type { Db } from "../../../db/createDb";
import { collectiveAction, collectiveActionInvitation } from "../../../db/schema";
import { LOGIN_WINDOW_MINUTES } from "../../identity/rules";
import { lockedIpFailures, recordLoginAttempt } from "../../identity/store";
import { placeOf, structureName } from "../queries";
import { invitationState, invitationTokenHash } from "../rules";

type PublicInvitation = z.infer<typeof publicInvitationSchema>;

/** Invalid links accepted from one address per window before it is refused (429) without looking. */
export const MAX_INVITATION_FAILURES_PER_IP = 20;

/**
 * Looks the link up, counting a forged or outdated one as a failure of its IP (auth_attempt, kind
 * `invitation`, like the activation links): past the cap, 429 without looking.
 */
async function findByToken(
  tx: Db,
  deps: Deps,
  meta: RequestMeta,
  token: string,
  lock: boolean,
): Promise<
  | {
      invitation: typeof collectiveActionInvitation.$inferSelect;
      action: typeof collectiveAction.$inferSelect;
    }
  | "unknown"
  | "throttled"
> {
  const now = deps.clock.now();
  const failures = await lockedIpFailures(tx, "invitation", meta.ip, now);
  if (failures >= MAX_INVITATION_FAILURES_PER_IP) return "throttled";
  const query = tx
    .select({ invitation: collectiveActionInvitation, action: collectiveAction })
    .from(collectiveActionInvitation)
    .innerJoin(collectiveAction, eq(collectiveAction.id, collectiveActionInvitation.actionId))
    .where(eq(collectiveActionInvitation.tokenHash, invitationTokenHash(token)));
  const [row] = lock ? await query.for("update", { of: collectiveActionInvitation }) : await query;
  if (!row) {
    await recordLoginAttempt(tx, { kind: "invitation", email: "", ip: meta.ip, at: now });
    return "unknown";
  }
  return row;
}

async function view(
  tx: Db,
  action: typeof collectiveAction.$inferSelect,
  invitation: typeof collectiveActionInvitation.$inferSelect,
  now: Date,
): Promise<PublicInvitation> {
  return {
    title: action.title,
    kind: action.kind as ActionKind,
    startsAt: action.startsAt.toISOString(),
    endsAt: action.endsAt.toISOString(),
    place: await placeOf(tx, action),
    description: action.description,
    structureName: await structureName(tx, action.structureId),
    inviteeName: invitation.name,
    answer: invitation.cancelledAt ? null : (invitation.answer as "yes" | "no" | null),
    state: invitationState(action, now, invitation),
  };
}

function unwrap<T>(result: T | "unknown" | "throttled"): T {
  if (result === "throttled") throw errors.collectiveAction.tooManyAttempts(LOGIN_WINDOW_MINUTES * 60);
  if (result === "unknown") throw errors.collectiveAction.invitationNotFound();
  return result;
}

/** The public page of an invitation: the action (no person's data) and the invitee's answer. */
export async function readInvitation(
  deps: Deps,
  meta: RequestMeta,
  token: string,
): Promise<PublicInvitation> {
  const result = await deps.db.transaction(async (tx) => {
    const found = await findByToken(tx, deps, meta, token, false);
    if (typeof found === "string") return found;
    return view(tx, found.action, found.invitation, deps.clock.now());
  });
  return unwrap(result);
}

/** Records (or changes) the answer until the action starts; journaled without an agent. */
export async function answerInvitation(
  deps: Deps,
  meta: RequestMeta,
  token: string,
  answer: "yes" | "no",
): Promise<PublicInvitation> {
  const now = deps.clock.now();
  const result = await deps.db.transaction(async (tx) => {
    const found = await findByToken(tx, deps, meta, token, true);
    if (typeof found === "string") return found;
    const { action, invitation } = found;
    const state = invitationState(action, now, invitation);
    if (state === "withdrawn") return "withdrawn" as const;
    if (state !== "open") return "closed" as const;
    await tx
      .update(collectiveActionInvitation)
      .set({ answer, answeredAt: now })
      .where(eq(collectiveActionInvitation.id, invitation.id));
    await journal(
      tx,
      { ...meta, clock: deps.clock, actorUserId: null },
      {
        action: "collective_action.answered",
        targetType: "collective_action_invitation",
        targetId: invitation.id,
        structureId: action.structureId,
        reason: answer === "yes" ? "participe" : "ne participe pas",
      },
    );
    return view(tx, action, { ...invitation, answer, answeredAt: now }, now);
  });
  if (result === "closed") throw errors.collectiveAction.invitationClosed();
  if (result === "withdrawn") throw errors.collectiveAction.invitationWithdrawn();
  return unwrap(result);
}
