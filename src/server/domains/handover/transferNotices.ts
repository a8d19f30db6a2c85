import { and, eq, inArray, isNull } from "drizzle-orm";
import { formatDate } from "../../../common/dateFormat";
import { appLink } from "../../core/config";
import type { Deps } from "../../core/deps";
import type { Db } from "../../db/createDb";
import { person, referent, structure, user } from "../../db/schema";
import { enqueueAgentNotices } from "../notifications/outbox";

/**
 * Tells the two CPIP of an accepted transfer, by e-mail through the outbox (`agent_alert`, like the
 * release alerts): the referent of the sending file (the file passed on, closed here) and the new
 * referent (the file is theirs). Called in the acceptance's transaction, so a transfer accepted
 * once is told once; the home's « Du nouveau » shows the same event to both (home/queries.ts
 * `transfersAcceptedSince`). The e-mails name the file by its number, never the person, as the
 * other alerts do; a disabled account gets nothing.
 */
export async function notifyAcceptedTransfer(
  tx: Db,
  deps: Deps,
  t: {
    personId: string;
    fromStructureId: string;
    toStructureId: string;
    proposedAt: Date;
    newPersonId: string;
    newReferentUserId: string;
    now: Date;
  },
): Promise<void> {
  const [sender] = await tx
    .select({ id: user.id, email: user.email })
    .from(referent)
    .innerJoin(user, eq(user.id, referent.userId))
    .where(and(eq(referent.personId, t.personId), isNull(referent.endedAt), isNull(user.disabledAt)));
  const [receiver] = await tx
    .select({ id: user.id, email: user.email, name: user.displayName })
    .from(user)
    .where(and(eq(user.id, t.newReferentUserId), isNull(user.disabledAt)));
  // The file passed on and the file opened on acceptance, each with its structure's name.
  const files = await tx
    .select({ id: person.id, fileNumber: person.fileNumber, structureName: structure.name })
    .from(person)
    .innerJoin(structure, eq(structure.id, person.structureId))
    .where(inArray(person.id, [t.personId, t.newPersonId]));
  const sent = files.find((f) => f.id === t.personId);
  const created = files.find((f) => f.id === t.newPersonId);
  if (!sent || !created) return;
  if (sender && sender.id !== t.newReferentUserId) {
    await enqueueAgentNotices(tx, {
      structureId: t.fromStructureId,
      kind: "agent_alert",
      recipients: [sender],
      subject: `Transfert accepté : dossier n° ${sent.fileNumber} confié à ${created.structureName}`,
      body: [
        "Bonjour,",
        "",
        `Le transfert du dossier n° ${sent.fileNumber}, proposé le ${formatDate(t.proposedAt)}, a été accepté par ${created.structureName} le ${formatDate(t.now)}. Son nouveau référent est ${receiver?.name ?? "un CPIP de cette structure"}.`,
        "",
        "Le dossier est clôturé dans votre structure ; il reste consultable en lecture seule :",
        appLink(deps.config.PUBLIC_URL, `/personnes/${t.personId}`),
        "",
        "Passerelle",
      ].join("\n"),
      now: t.now,
    });
  }
  if (receiver) {
    await enqueueAgentNotices(tx, {
      structureId: t.toStructureId,
      kind: "agent_alert",
      recipients: [receiver],
      subject: `Dossier reçu : le dossier n° ${created.fileNumber} vous est confié`,
      body: [
        "Bonjour,",
        "",
        `${sent.structureName} a transmis un dossier à ${created.structureName} et vous en êtes désormais le CPIP référent (dossier n° ${created.fileNumber}, transfert accepté le ${formatDate(t.now)}).`,
        "",
        "Ouvrez-le dans Passerelle :",
        appLink(deps.config.PUBLIC_URL, `/personnes/${t.newPersonId}`),
        "",
        "Passerelle",
      ].join("\n"),
      now: t.now,
    });
  }
}
