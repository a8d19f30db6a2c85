import { sql } from "drizzle-orm";
import { journalFor } from "../../../core/audit";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { homeMarker } from "../../../db/schema";
import { newsReaderStructures } from "./GetHomeNews";

/**
 * "Marquer comme vu": the news up to the instant the page showed (`upTo`, never in the future) is
 * seen; what arrived while the page was open stays new. The marker never goes back (two tabs, a
 * late retry), except when asked to: `undo` puts it back to `upTo`, the `since` the page showed
 * before, and the news are signalled again (the « Annuler » of the notice).
 */
export async function markHomeSeen(
  deps: Deps,
  ctx: RequestContext,
  { upTo, undo }: { upTo: string; undo?: true | undefined },
): Promise<{ seenUpTo: string }> {
  newsReaderStructures(ctx.actor);
  const now = ctx.clock.now();
  const asked = new Date(upTo);
  const seenUpTo = asked > now ? now : asked;
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(homeMarker)
      .values({ userId: ctx.actor.userId, seenUpTo })
      .onConflictDoUpdate({
        target: homeMarker.userId,
        set: {
          seenUpTo: undo
            ? sql`excluded.seen_up_to`
            : sql`greatest(${homeMarker.seenUpTo}, excluded.seen_up_to)`,
        },
      })
      .returning();
    await journalFor(tx, ctx, {
      action: undo ? "home.news_seen_undone" : "home.news_seen",
      targetType: "user",
      targetId: ctx.actor.userId,
    });
    return { seenUpTo: (row?.seenUpTo ?? seenUpTo).toISOString() };
  });
}
