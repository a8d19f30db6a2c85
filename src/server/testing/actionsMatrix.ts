import { eq } from "drizzle-orm";
import { type Role, roles } from "../../common/roles";
import { documentKeyring, putStoredFile } from "../core/fileStore";
import {
  collectiveAction,
  collectiveActionDocument,
  directoryContact,
  directoryEntry,
  service,
  site,
  workingGroupMember,
} from "../db/schema";
import { aPerson } from "./builders";
import { demo, type TestApp } from "./testApp";

/**
 * The collective actions' rows of the authorization matrix (ADR 0031), with their fixtures: kept
 * apart so the matrix file only spreads them in. A route whose success changes its target (cancel,
 * convoke) takes a fresh action or person on every call.
 */
type Caller = "anonymous" | Role | "outsider";
type Expected = Record<Caller, number>;
interface Row {
  request(): { params?: Record<string, string>; query?: Record<string, string>; body?: unknown };
  expected: Expected;
}

export interface ActionFixtures {
  structureId: string;
  siteId: string;
  actionId: string;
  documentId: string;
  cancelIds: string[];
  peopleToConvoke: string[];
  /** A working group's meeting, contacts to add as members and members to remove (one per caller). */
  workingGroupId: string;
  contactsToAdd: string[];
  membersToRemove: string[];
}

const callers: Caller[] = ["anonymous", ...roles, "outsider"];
function only(allowed: Partial<Expected>, otherwise = 403): Expected {
  return {
    ...(Object.fromEntries(callers.map((c) => [c, c === "anonymous" ? 401 : otherwise])) as Expected),
    ...allowed,
  };
}

export async function actionMatrixFixtures(t: TestApp): Promise<ActionFixtures> {
  const [meaux] = await t.handle.db.select().from(site).where(eq(site.name, "Meaux"));
  const [spip] = await t.handle.db.select().from(service).where(eq(service.kind, "spip"));
  const managerId = await t.userId(demo.manager);
  const anAction = async (): Promise<string> => {
    const [row] = await t.handle.db
      .insert(collectiveAction)
      .values({
        structureId: t.demoStructureId,
        kind: "forum_emploi",
        title: "Forum emploi (matrice)",
        startsAt: new Date("2026-06-20T07:30:00Z"),
        endsAt: new Date("2026-06-20T10:30:00Z"),
        siteId: meaux!.id,
        capacity: 30,
        createdBy: managerId,
      })
      .returning({ id: collectiveAction.id });
    return row!.id;
  };
  const actionId = await anAction();
  const fileId = await putStoredFile(t.handle.db, documentKeyring(t.deps.config), {
    bytes: Buffer.from("%PDF-1.4\n%matrice\n"),
    mediaType: "application/pdf",
  });
  const [doc] = await t.handle.db
    .insert(collectiveActionDocument)
    .values({ actionId, fileId, fileName: "programme.pdf", mediaType: "application/pdf", size: 18 })
    .returning({ id: collectiveActionDocument.id });
  const cancelIds: string[] = [];
  const peopleToConvoke: string[] = [];
  for (const _ of callers) {
    cancelIds.push(await anAction());
    const p = await aPerson(t.handle.db, {
      structureId: t.demoStructureId,
      referentUserId: await t.userId(demo.cpip),
      referentServiceId: spip!.id,
    });
    peopleToConvoke.push(p.id);
  }
  const [group] = await t.handle.db
    .insert(collectiveAction)
    .values({
      structureId: t.demoStructureId,
      kind: "working_group",
      title: "Groupe de travail (matrice)",
      startsAt: new Date("2026-05-20T12:00:00Z"),
      endsAt: new Date("2026-05-20T14:00:00Z"),
      address: "Préfecture, Melun",
      createdBy: managerId,
    })
    .returning({ id: collectiveAction.id });
  await t.handle.db
    .update(collectiveAction)
    .set({ seriesId: group!.id })
    .where(eq(collectiveAction.id, group!.id));
  const [entry] = await t.handle.db
    .insert(directoryEntry)
    .values({ structureId: t.demoStructureId, name: "Association (matrice)", kind: "association" })
    .returning({ id: directoryEntry.id });
  const contactsToAdd: string[] = [];
  const membersToRemove: string[] = [];
  for (const [i] of callers.entries()) {
    const contacts = await t.handle.db
      .insert(directoryContact)
      .values([
        { entryId: entry!.id, name: `Membre ${i}`, email: `membre-${i}@exemple.invalid` },
        { entryId: entry!.id, name: `Ancien membre ${i}`, email: `ancien-${i}@exemple.invalid` },
      ])
      .returning({ id: directoryContact.id });
    contactsToAdd.push(contacts[0]!.id);
    const [member] = await t.handle.db
      .insert(workingGroupMember)
      .values({ structureId: t.demoStructureId, seriesId: group!.id, directoryContactId: contacts[1]!.id })
      .returning({ id: workingGroupMember.id });
    membersToRemove.push(member!.id);
  }
  return {
    structureId: t.demoStructureId,
    siteId: meaux!.id,
    actionId,
    workingGroupId: group!.id,
    contactsToAdd,
    membersToRemove,
    documentId: doc!.id,
    cancelIds,
    peopleToConvoke,
  };
}

const viewers = { probation_officer: 200, counselor: 200, service_manager: 200 };
const organisers = { counselor: 200, service_manager: 200 };

export function actionMatrixRows(f: () => ActionFixtures): Record<string, Row> {
  let cancelled = 0;
  let convoked = 0;
  let added = 0;
  let removed = 0;
  let planned = 0;
  const group = () => ({ params: { actionId: f().workingGroupId } });
  const action = () => ({ params: { actionId: f().actionId } });
  const body = () => ({
    kind: "forum_emploi",
    title: "Forum emploi (matrice)",
    day: "2026-06-20",
    startTime: "09:30",
    endTime: "12:30",
    siteId: f().siteId,
    capacity: 30,
  });
  return {
    "actions.list": {
      request: () => ({ params: { structureId: f().structureId } }),
      expected: only(viewers),
    },
    // The steering committee's meetings: its steering members and the structure's agents read them.
    "actions.steeringCommittee": {
      request: () => ({ params: { structureId: f().structureId } }),
      expected: only({ ...viewers, steering: 200 }),
    },
    "actions.options": {
      request: () => ({ params: { structureId: f().structureId } }),
      expected: only(viewers),
    },
    "actions.create": {
      request: () => ({ params: { structureId: f().structureId }, body: body() }),
      expected: only(organisers),
    },
    "actions.figures": {
      request: () => ({ query: { from: "2026-01", to: "2026-12", structureId: f().structureId } }),
      expected: only({ service_manager: 200, steering: 200, outsider: 404 }),
    },
    "actions.get": { request: action, expected: only({ ...viewers, outsider: 404 }) },
    "actions.update": {
      request: () => ({ ...action(), body: body() }),
      expected: only({ ...organisers, outsider: 404 }),
    },
    "actions.cancel": {
      request: () => ({ params: { actionId: f().cancelIds[cancelled++ % f().cancelIds.length]! } }),
      expected: only({ ...organisers, outsider: 404 }),
    },
    "actions.invite": {
      request: () => ({
        ...action(),
        body: { invitees: [{ name: "Invité matrice", email: `matrice-${Math.random()}@exemple.fr` }] },
      }),
      expected: only({ ...organisers, outsider: 404 }),
    },
    "actions.convoke": {
      request: () => ({
        ...action(),
        body: {
          personId: f().peopleToConvoke[convoked++ % f().peopleToConvoke.length]!,
          notifySms: false,
          notifyEmail: false,
        },
      }),
      expected: only({ probation_officer: 200, service_manager: 200, outsider: 404 }),
    },
    "actions.outcomes": {
      request: () => ({ ...action(), body: { held: false, outcomes: { interviews: 2 } } }),
      expected: only({ ...organisers, outsider: 404 }),
    },
    // A JSON body is not a file: 400 once the agent may add documents.
    "actions.uploadDocument": {
      request: () => ({ ...action(), body: {} }),
      expected: only({ counselor: 400, service_manager: 400, outsider: 404 }),
    },
    "actions.document": {
      request: () => ({ params: { actionId: f().actionId, documentId: f().documentId } }),
      expected: only({ ...viewers, outsider: 404 }),
    },
    // Working groups: the structure's agents read the group, the direction and counselors manage it.
    "actions.workingGroup": { request: group, expected: only({ ...viewers, outsider: 404 }) },
    "actions.addMember": {
      request: () => ({
        ...group(),
        body: { directoryContactId: f().contactsToAdd[added++ % f().contactsToAdd.length]! },
      }),
      expected: only({ ...organisers, outsider: 404 }),
    },
    "actions.removeMember": {
      request: () => ({
        params: {
          actionId: f().workingGroupId,
          memberId: f().membersToRemove[removed++ % f().membersToRemove.length]!,
        },
      }),
      expected: only({ ...organisers, outsider: 404 }),
    },
    "actions.planNextMeeting": {
      request: () => ({
        ...group(),
        body: {
          day: `2026-09-${String(10 + planned++).padStart(2, "0")}`,
          startTime: "14:00",
          endTime: "16:00",
          address: "Préfecture, Melun",
        },
      }),
      expected: only({ ...organisers, outsider: 404 }),
    },
    "actions.partnerActions": {
      request: () => ({}),
      expected: only({ partner_referent: 200, outsider: 200 }),
    },
    // A forged link: the same French 404 for everyone, signed in or not.
    "actions.publicInvitation": {
      request: () => ({ params: { token: "B".repeat(43) } }),
      expected: { ...only({}, 404), anonymous: 404 },
    },
    "actions.publicAnswer": {
      request: () => ({ params: { token: "C".repeat(43) }, body: { answer: "yes" } }),
      expected: { ...only({}, 404), anonymous: 404 },
    },
  };
}
