import { and, eq, isNull } from "drizzle-orm";
import { parisDay } from "../../../../common/calendar";
import { isDetentionSiteKind } from "../../../../common/detention/detention.schema";
import { errors } from "../../../../common/errors";
import { personFacingAddress, personFacingSiteName } from "../../../../common/notifications/templates";
import { journalFor } from "../../../core/audit";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { person, referent, site, user } from "../../../db/schema";
import { demarcheLabels } from "../../catalogue/queries";
import { isThroughEstablishment } from "../../detention/queries";
import { loadSettings } from "../../notifications/outbox";
import { nominativeScope } from "../../people/policies";
import { renderLetter } from "../letter";
import { listConvocations } from "../queries";

/**
 * The printable letter of a convocation the actor may see; printing it is journaled. None for a
 * cancelled or rescheduled one (409): a letter in the person's hands would send them to a dead slot.
 */
export async function getConvocationLetter(
  deps: Deps,
  ctx: RequestContext,
  convocationId: string,
): Promise<Buffer> {
  const scope = nominativeScope(ctx.actor);
  const data = await deps.db.transaction(async (tx) => {
    const [row] = await listConvocations(tx, scope, { id: convocationId });
    if (!row) throw errors.convocation.notFound();
    const c = row.convocation;
    // A cancelled or replaced appointment's letter must not be handed out as a valid one.
    if (c.status === "cancelled" || c.status === "excused") throw errors.convocation.letterCancelled();
    const [details] = await tx
      .select({
        site,
        firstName: person.firstName,
        lastName: person.lastName,
        referentName: user.displayName,
      })
      .from(site)
      .innerJoin(person, eq(person.id, c.personId))
      .leftJoin(referent, and(eq(referent.personId, person.id), isNull(referent.endedAt)))
      .leftJoin(user, eq(user.id, referent.userId))
      .where(eq(site.id, c.siteId));
    if (!details) throw errors.convocation.notFound();
    const demarches = await demarcheLabels(tx, c.demarcheTypeIds);
    await journalFor(tx, ctx, {
      action: "convocation.letter_printed",
      targetType: "convocation",
      targetId: c.id,
      structureId: c.structureId,
    });
    return {
      letterhead: (await loadSettings(tx, c.structureId)).letterhead,
      personName: `${details.firstName} ${details.lastName.toUpperCase()}`,
      referentName: details.referentName,
      startsAt: c.startsAt,
      // Handed to a detainee inside: the establishment may be named; outside, never the SPIP.
      siteName: isDetentionSiteKind(details.site.kind)
        ? details.site.name
        : personFacingSiteName(details.site.name),
      siteAddress: personFacingAddress(details.site.address),
      accessInstructions: details.site.accessInstructions,
      sitePhone: details.site.phone,
      demarches,
      inDetention: await isThroughEstablishment(tx, {
        personId: c.personId,
        siteId: c.siteId,
        day: parisDay(c.startsAt),
      }),
    };
  });
  return renderLetter(data);
}
