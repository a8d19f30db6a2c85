import { and, desc, eq, inArray, isNull, type SQL } from "drizzle-orm";
import { addDays } from "../../../../common/calendar";
import {
  type DocumentView,
  SHARE_MAX_DAYS,
  type ShareBody,
  type SharedDocument,
} from "../../../../common/documents/documents.schema";
import { errors } from "../../../../common/errors";
import { plural } from "../../../../common/plural";
import { journalFor } from "../../../core/audit";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { lockRows } from "../../../core/rowLocks";
import { inTransaction } from "../../../core/transaction";
import type { Db } from "../../../db/createDb";
import { document, documentShare, orientation, person, structure } from "../../../db/schema";
import { peopleTarget } from "../../audit/JournalNominativeRead";
import { addressedTo, consentCoversReceiver, receivingSeats } from "../../orientations/queries";
import { assertFileOpen } from "../../people/openFile";
import { nominativeScope } from "../../people/policies";
import { liveShare, orientationSharesFor, receivingStructures, structureSharesFor, today } from "../access";
import { documentWords, shareTargetWords } from "../journalWords";
import { documentViews, personName } from "../queries";

async function viewOf(tx: Db, ctx: RequestContext, documentId: string): Promise<DocumentView> {
  const [view] = await documentViews(
    tx,
    nominativeScope(ctx.actor),
    eq(document.id, documentId),
    today(ctx.clock.now()),
  );
  if (!view) throw errors.document.notFound();
  return view;
}

/** The recipient a share body names, as the share's columns hold it. */
function recipientOf(body: ShareBody): SQL {
  if (body.to === "orientation") return eq(documentShare.orientationId, body.orientationId);
  if (body.to === "structure") return eq(documentShare.recipientStructureId, body.recipientStructureId);
  return eq(documentShare.recipientLabel, body.recipientLabel);
}

/**
 * A live share of the document identical to the one asked (same recipient, basis, reason and end):
 * the same request sent again (a double click, a retry after a lost answer, ADR 0036) finds it.
 */
async function sameLiveShare(tx: Db, documentId: string, body: ShareBody, day: string): Promise<boolean> {
  const [found] = await tx
    .select({ id: documentShare.id })
    .from(documentShare)
    .where(
      and(
        eq(documentShare.documentId, documentId),
        eq(documentShare.target, body.to),
        recipientOf(body),
        ...("legalBasis" in body ? [eq(documentShare.legalBasis, body.legalBasis)] : []),
        eq(documentShare.reason, body.reason),
        body.until ? eq(documentShare.until, body.until) : isNull(documentShare.until),
        liveShare(day),
      ),
    )
    .limit(1);
  return found !== undefined;
}

/**
 * Shares a document: with an orientation of the same person (non-judicial only, under the person's
 * consent covering its receiver, which the share then follows), or under a legal basis with a
 * receiving structure or a recipient outside Passerelle. The CPIP side and the direction only.
 * The same share asked again while the first is live (sent twice at once, or again after a lost
 * answer) answers the document as it is, with that share: no second share, no second journal row
 * (ADR 0036). The document's row is locked first, so two identical requests run in turn.
 */
export async function shareDocument(
  deps: Deps,
  ctx: RequestContext,
  documentId: string,
  body: ShareBody,
): Promise<DocumentView> {
  return inTransaction(deps.db, async (tx) => {
    await lockRows(tx, document, [documentId]);
    const view = await viewOf(tx, ctx, documentId);
    if (!view.permissions.share) throw errors.document.mayNotShare();
    await assertFileOpen(tx, view.personId);
    const day = today(ctx.clock.now());
    if (body.until && body.until < day) throw errors.document.untilInPast();
    const lastDay = addDays(day, SHARE_MAX_DAYS);
    if (body.until && body.until > lastDay) throw errors.document.untilTooFar(lastDay);
    // Checked once the recipient is (still) valid: a later request would be refused otherwise.
    const sharedAlready = () => sameLiveShare(tx, documentId, body, day);
    const [owner] = await tx
      .select({ structureId: document.structureId })
      .from(document)
      .where(eq(document.id, documentId));
    const common = {
      documentId,
      reason: body.reason,
      sharedBy: ctx.actor.userId,
      sharedAt: ctx.clock.now(),
      until: body.until ?? null,
    };
    let recipientStructureId: string | null = null;
    if (body.to === "orientation") {
      if (view.judicial) throw errors.document.judicialNeedsLegalBasis();
      const [o] = await tx
        .select()
        .from(orientation)
        .where(
          and(
            eq(orientation.id, body.orientationId),
            eq(orientation.personId, view.personId),
            inArray(orientation.status, ["sent", "accepted"]),
          ),
        );
      if (!o) throw errors.orientation.notFound();
      if (!(await consentCoversReceiver(tx, o))) throw errors.orientation.consentRequired();
      if (await sharedAlready()) return view;
      await tx.insert(documentShare).values({
        ...common,
        target: "orientation",
        orientationId: o.id,
        legalBasis: "Consentement de la personne au partage (secret partagé)",
      });
    } else if (body.to === "structure") {
      const [recipient] = await tx
        .select({ id: structure.id })
        .from(structure)
        .where(eq(structure.id, body.recipientStructureId));
      if (!recipient || recipient.id === owner!.structureId) throw errors.document.unknownStructure();
      if (await sharedAlready()) return view;
      recipientStructureId = recipient.id;
      await tx.insert(documentShare).values({
        ...common,
        target: "structure",
        recipientStructureId: recipient.id,
        legalBasis: body.legalBasis,
      });
    } else {
      if (await sharedAlready()) return view;
      await tx.insert(documentShare).values({
        ...common,
        target: "outside",
        recipientLabel: body.recipientLabel,
        legalBasis: body.legalBasis,
      });
    }
    const entry = {
      action: "document.shared" as const,
      targetType: "person",
      targetId: view.personId,
      reason:
        `${documentWords(view.kind)} « ${view.title} » ${shareTargetWords[body.to]}${"legalBasis" in body ? ` ; base légale : ${body.legalBasis}` : ""} ; ${body.reason}`.slice(
          0,
          1000,
        ),
    };
    await journalFor(tx, ctx, { ...entry, structureId: owner!.structureId });
    // The receiving structure's journal shows what it was given, and under which basis.
    if (recipientStructureId) await journalFor(tx, ctx, { ...entry, structureId: recipientStructureId });
    return viewOf(tx, ctx, documentId);
  });
}

/** Withdraws a share (the recipient no longer reaches the document); journaled on both sides. */
export async function withdrawShare(deps: Deps, ctx: RequestContext, shareId: string): Promise<DocumentView> {
  nominativeScope(ctx.actor);
  return deps.db.transaction(async (tx) => {
    const [share] = await tx.select().from(documentShare).where(eq(documentShare.id, shareId)).for("update");
    if (!share) throw errors.document.shareNotFound();
    const view = await viewOf(tx, ctx, share.documentId).catch(() => {
      throw errors.document.shareNotFound();
    });
    if (!view.permissions.share) throw errors.document.mayNotShare();
    if (share.withdrawnAt) throw errors.document.shareWithdrawn();
    await tx
      .update(documentShare)
      .set({ withdrawnAt: ctx.clock.now(), withdrawnBy: ctx.actor.userId })
      .where(eq(documentShare.id, shareId));
    const [owner] = await tx
      .select({ structureId: document.structureId })
      .from(document)
      .where(eq(document.id, share.documentId));
    const entry = {
      action: "document.share_withdrawn" as const,
      targetType: "person",
      targetId: view.personId,
      reason: `${documentWords(view.kind)} « ${view.title} » : fin du partage (${shareTargetWords[share.target]})`,
    };
    await journalFor(tx, ctx, { ...entry, structureId: owner!.structureId });
    if (share.recipientStructureId)
      await journalFor(tx, ctx, { ...entry, structureId: share.recipientStructureId });
    return viewOf(tx, ctx, share.documentId);
  });
}

/**
 * The receiving side of an orientation: the documents shared with it, while live and while the
 * person's consent covers it (a withdrawn consent hides them). 404 for an orientation not addressed
 * to the actor. The read is journaled, naming the person when documents are shown.
 */
export async function orientationDocuments(
  deps: Deps,
  ctx: RequestContext,
  orientationId: string,
): Promise<{ documents: SharedDocument[] }> {
  if (receivingSeats(ctx.actor).length === 0) throw errors.access.forbidden();
  return deps.db.transaction(async (tx) => {
    const [o] = await tx
      .select({ id: orientation.id, personId: orientation.personId, structureId: orientation.structureId })
      .from(orientation)
      .where(and(eq(orientation.id, orientationId), addressedTo(ctx.actor)));
    if (!o) throw errors.orientation.notFound();
    const rows = await tx
      .select({
        doc: document,
        share: documentShare,
        fromStructure: structure.name,
        firstName: person.firstName,
        lastName: person.lastName,
      })
      .from(documentShare)
      .innerJoin(document, eq(document.id, documentShare.documentId))
      .innerJoin(orientation, eq(orientation.id, documentShare.orientationId))
      .innerJoin(structure, eq(structure.id, orientation.structureId))
      .innerJoin(person, eq(person.id, document.personId))
      .where(and(eq(orientation.id, o.id), orientationSharesFor(ctx.actor, today(ctx.clock.now()))))
      .orderBy(desc(documentShare.sharedAt));
    await journalFor(tx, ctx, {
      action: "orientation.documents_read",
      ...(rows.length > 0
        ? { targetType: "person", targetId: o.personId }
        : { targetType: "orientation", targetId: o.id }),
      structureId: o.structureId,
      reason: plural(rows.length, "document partagé", "documents partagés"),
    });
    return { documents: rows.map(sharedView) };
  });
}

/** The documents shared with one of the actor's structures under a legal basis; journaled. */
export async function receivedDocuments(
  deps: Deps,
  ctx: RequestContext,
  structureId: string,
): Promise<{ documents: SharedDocument[] }> {
  if (!receivingStructures(ctx.actor).includes(structureId)) throw errors.access.forbidden();
  return deps.db.transaction(async (tx) => {
    const rows = await tx
      .select({
        doc: document,
        share: documentShare,
        fromStructure: structure.name,
        firstName: person.firstName,
        lastName: person.lastName,
      })
      .from(documentShare)
      .innerJoin(document, eq(document.id, documentShare.documentId))
      .innerJoin(person, eq(person.id, document.personId))
      .innerJoin(structure, eq(structure.id, document.structureId))
      .where(
        and(
          eq(documentShare.recipientStructureId, structureId),
          structureSharesFor(ctx.actor, today(ctx.clock.now())),
        ),
      )
      .orderBy(desc(documentShare.sharedAt))
      .limit(300);
    const people = peopleTarget(rows.map((r) => r.doc.personId));
    await journalFor(tx, ctx, {
      action: "document.received_read",
      ...(people.targetId
        ? { targetType: "person", targetId: people.targetId }
        : { targetType: "structure", targetId: structureId }),
      structureId,
      reason: [plural(rows.length, "document reçu", "documents reçus"), ...people.counts].join(" ; "),
    });
    return { documents: rows.map(sharedView) };
  });
}

function sharedView(r: {
  doc: typeof document.$inferSelect;
  share: typeof documentShare.$inferSelect;
  fromStructure: string;
  firstName: string;
  lastName: string;
}): SharedDocument {
  return {
    id: r.doc.id,
    shareId: r.share.id,
    kind: r.doc.kind,
    title: r.doc.title,
    mediaType: r.doc.mediaType,
    size: r.doc.size,
    sharedAt: r.share.sharedAt.toISOString(),
    until: r.share.until,
    legalBasis: r.share.legalBasis,
    reason: r.share.reason,
    fromStructure: r.fromStructure,
    personName: personName(r.firstName, r.lastName),
  };
}
