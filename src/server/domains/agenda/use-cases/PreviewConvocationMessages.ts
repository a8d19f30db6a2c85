import { and, eq } from "drizzle-orm";
import type { MessagesPreview, MessagesPreviewBody } from "../../../../common/agenda/agenda.schema";
import { errors } from "../../../../common/errors";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { site, smsOptOut } from "../../../db/schema";
import { isThroughEstablishment } from "../../detention/queries";
import { convocationText, stopUrl } from "../../notifications/compose";
import { readPersonReach } from "../../notifications/outbox";
import { reachedChannels } from "../../notifications/reach";
import { assertFileOpen } from "../../people/openFile";
import { nominativeScope } from "../../people/policies";
import { findVisiblePerson } from "../../people/queries";
import { parisDay } from "../rules";

/** In the example stop link, where the person's own token (made with their first SMS) will be. */
export const EXAMPLE_STOP_TOKEN = "AbCdEfGhJkMn";

/**
 * What the person would receive if convoked as the booking form says (ADR 0004, addendum
 * « preview »): the summons on each chosen channel that reaches them, by the outbox's own rule
 * (`reachedChannels`, never a detainee) and its own text (`convocationText`). Checked as a booking
 * is (a person the actor may convoke, a site of their structure); nothing is written, not even the
 * stop token: an SMS shows the person's stop link when they have one, an example otherwise.
 */
export async function previewConvocationMessages(
  deps: Deps,
  ctx: RequestContext,
  input: MessagesPreviewBody,
): Promise<MessagesPreview> {
  const db = deps.db;
  const target = await findVisiblePerson(db, nominativeScope(ctx.actor), input.personId);
  if (!target) throw errors.person.notFound();
  await assertFileOpen(db, input.personId);
  if (!target.edit) throw errors.access.forbidden();
  const structureId = target.person.structureId;
  const [place] = await db
    .select({ name: site.name, address: site.address, phone: site.phone })
    .from(site)
    .where(and(eq(site.id, input.siteId), eq(site.structureId, structureId)));
  if (!place) throw errors.convocation.siteNotInStructure();
  const startsAt = new Date(input.startsAt);
  // As the booking decides (BookConvocation): through the establishment, no channel at all.
  const throughEstablishment = await isThroughEstablishment(db, {
    personId: input.personId,
    siteId: input.siteId,
    day: parisDay(startsAt),
  });
  if (throughEstablishment) return { throughEstablishment, messages: [] };
  const who = await readPersonReach(db, input.personId);
  const targets = reachedChannels(
    { startsAt, notifySms: input.notifySms, notifyEmail: input.notifyEmail },
    who,
  );
  const [stop] = await db
    .select({ token: smsOptOut.token })
    .from(smsOptOut)
    .where(eq(smsOptOut.personId, input.personId));
  const links = { publicUrl: deps.config.PUBLIC_URL };
  const about = {
    structureId,
    kind: "summon" as const,
    startsAt,
    site: place,
    demarcheTypeIds: input.demarcheTypeIds,
  };
  const messages = [];
  for (const t of targets) {
    const text = await convocationText(
      db,
      about,
      t.channel,
      stopUrl(links, stop?.token ?? EXAMPLE_STOP_TOKEN),
    );
    messages.push({
      channel: t.channel,
      recipient: t.recipient,
      ...text,
      optedOut: t.optedOut,
      exampleStopLink: t.channel === "sms" && !stop,
    });
  }
  return { throughEstablishment, messages };
}
