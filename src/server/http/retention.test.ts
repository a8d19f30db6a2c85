import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RetentionPreview } from "../../common/retention/retention.schema";
import { registerJobs, runDueJobs } from "../core/scheduler";
import {
  auditEvent,
  measure,
  note,
  notification,
  orientation,
  person,
  scheduledJob,
  service,
  user,
} from "../db/schema";
import { retentionPurge } from "../domains/retention/job";
import { aPerson, aStructure } from "../testing/builders";
import { pdfText } from "../testing/pdfText";
import { demo, startTestApp, type TestApp } from "../testing/testApp";

/**
 * The direction's retention routes (ADR 0024). TEST_TODAY is 2026-06-01: a measure ended on
 * 2025-01-15 without activity since is past the 12 months; a file archived on 2025-10-01 is past
 * the 6 more months.
 */
let t: TestApp;
let idle: string;
let archivedLongAgo: string;
let otherStructureId: string;

async function agedPerson(lastName: string): Promise<string> {
  const db = t.handle.db;
  const [cpip] = await db.select({ id: user.id }).from(user).where(eq(user.email, demo.cpip));
  const [spip] = await db.select({ id: service.id }).from(service).where(eq(service.kind, "spip")).limit(1);
  const created = await aPerson(db, {
    structureId: t.demoStructureId,
    referentUserId: cpip!.id,
    referentServiceId: spip!.id,
    identity: { lastName, firstName: "Aline", phone: "+33611223344" },
  });
  await db
    .update(person)
    .set({ createdAt: new Date("2024-01-10T09:00:00Z") })
    .where(eq(person.id, created.id));
  await db.update(measure).set({ endDate: "2025-01-15" }).where(eq(measure.personId, created.id));
  return created.id;
}

beforeAll(async () => {
  t = await startTestApp();
  idle = await agedPerson("Dormant");
  archivedLongAgo = await agedPerson("Ancien");
  await t.handle.db
    .update(person)
    .set({ archivedAt: new Date("2025-10-01T09:00:00Z") })
    .where(eq(person.id, archivedLongAgo));
  otherStructureId = (await aStructure(t.handle.db)).structure.id;
});
afterAll(() => t.close());

const call = async (email: string | null, method: "GET" | "PUT" | "POST", url: string, payload?: object) =>
  t.app.inject({
    method,
    url,
    headers: email ? await t.sessionFor(email) : {},
    ...(method === "GET" ? {} : { payload: payload ?? {} }),
  });
const retentionUrl = () => `/api/structures/${t.demoStructureId}/retention`;

describe("retention routes", () => {
  it("401 anonymous, 403 other roles and other structures, 400 out of bounds", async () => {
    expect((await call(null, "GET", retentionUrl())).statusCode).toBe(401);
    expect((await call(demo.cpip, "GET", retentionUrl())).statusCode).toBe(403);
    expect((await call(demo.steering, "POST", `${retentionUrl()}/run`, { dryRun: true })).statusCode).toBe(
      403,
    );
    expect(
      (await call(demo.manager, "GET", `/api/structures/${otherStructureId}/retention`)).statusCode,
    ).toBe(403);
    expect((await call(demo.cpip, "GET", `/api/people/${idle}/data-export/json`)).statusCode).toBe(403);
    const bad = await call(demo.manager, "PUT", retentionUrl(), {
      archiveAfterMonths: 3,
      eraseAfterMonths: 6,
      journalMonths: 48,
      messageMonths: "trois",
    });
    expect(bad.statusCode).toBe(400);
    const paths = bad.json().issues.map((issue: { path: string }) => issue.path);
    expect(paths).toEqual(
      expect.arrayContaining(["body.archiveAfterMonths", "body.journalMonths", "body.messageMonths"]),
    );
    expect((await call(demo.manager, "POST", `${retentionUrl()}/run`, { dryRun: "oui" })).statusCode).toBe(
      400,
    );
  });

  it("the preview lists what the next run archives and erases, and its opening is journaled", async () => {
    const response = await call(demo.manager, "GET", retentionUrl());
    expect(response.statusCode).toBe(200);
    const preview: RetentionPreview = response.json();
    expect(preview.settings).toEqual(preview.defaults);
    expect(preview.toArchive.map((f) => f.id)).toContain(idle);
    expect(preview.toArchive.find((f) => f.id === idle)).toMatchObject({
      name: "DORMANT Aline",
      lastMeasureEnd: "2025-01-15",
    });
    expect(preview.archived.map((f) => f.id)).toEqual([archivedLongAgo]);
    expect(preview.archived[0]!.eraseFrom.slice(0, 10)).toBe("2026-04-01");
    expect(preview.next.erased).toBe(1);
    expect(preview.next.archived).toBe(preview.toArchive.length);
    const [row] = await t.handle.db
      .select()
      .from(auditEvent)
      .where(eq(auditEvent.requestId, String(response.headers["x-request-id"])));
    expect(row).toMatchObject({ action: "retention.preview_read", targetType: "person" });
    expect(row!.targetId.split(",")).toContain(idle);
  });

  it("settings within bounds are saved and change the preview", async () => {
    const saved = await call(demo.manager, "PUT", retentionUrl(), {
      archiveAfterMonths: 36,
      eraseAfterMonths: 24,
      journalMonths: 36,
      messageMonths: 12,
    });
    expect(saved.statusCode).toBe(200);
    const preview: RetentionPreview = (await call(demo.manager, "GET", retentionUrl())).json();
    expect(preview.settings.archiveAfterMonths).toBe(36);
    expect(preview.toArchive.map((f) => f.id)).not.toContain(idle);
    expect(preview.next.erased).toBe(0);
    await call(demo.manager, "PUT", retentionUrl(), preview.defaults);
  });

  it("a simulation writes nothing; a run archives: the file leaves the lists and is read-only (409)", async () => {
    const dry = await call(demo.manager, "POST", `${retentionUrl()}/run`, { dryRun: true });
    expect(dry.json().counts.archived).toBeGreaterThanOrEqual(1);
    const [still] = await t.handle.db.select().from(person).where(eq(person.id, idle));
    expect(still!.archivedAt).toBeNull();

    const run = await call(demo.manager, "POST", `${retentionUrl()}/run`, { dryRun: false });
    expect(run.statusCode).toBe(200);
    expect(run.json().counts).toMatchObject({ archived: dry.json().counts.archived, erased: 1, failed: 0 });
    const list = await call(demo.manager, "GET", "/api/people?fileState=all&page=1&search=dormant");
    expect(list.json().people).toEqual([]);
    expect((await call(demo.cpip, "GET", `/api/people/${idle}`)).statusCode).toBe(404);
    const file = await call(demo.manager, "GET", `/api/people/${idle}`);
    expect(file.json().retention).toMatchObject({ mayRestore: true, mayExportData: true });
    expect(file.json().permissions.edit).toBe(false);
    // No section offers a write on an archived file.
    const read = async (url: string) => (await call(demo.manager, "GET", url)).json();
    expect((await read(`/api/people/${idle}/accompaniment`)).permissions.record).toBe(false);
    expect((await read(`/api/people/${idle}/orientations`)).permissions.create).toBe(false);
    expect((await read(`/api/people/${idle}/consents`)).permissions.record).toBe(false);
    expect((await read(`/api/people/${idle}/notes`)).permissions.write).toBe(false);
    const close = await call(demo.manager, "POST", `/api/people/${idle}/close`, {
      reason: "end_of_measure",
      closedOn: "2026-06-01",
    });
    expect(close.statusCode).toBe(409);
    expect(close.json().code).toBe("person.archived");
  });

  it("the direction restores an archived file: back in the lists, not archived again at once", async () => {
    expect((await call(demo.manager, "POST", `/api/people/${otherStructureId}/restore`)).statusCode).toBe(
      404,
    );
    const restored = await call(demo.manager, "POST", `/api/people/${idle}/restore`);
    expect(restored.statusCode).toBe(200);
    const list = await call(demo.cpip, "GET", "/api/people?fileState=all&page=1&search=dormant");
    expect(list.json().people.map((p: { id: string }) => p.id)).toEqual([idle]);
    const preview: RetentionPreview = (await call(demo.manager, "GET", retentionUrl())).json();
    expect(preview.toArchive.map((f) => f.id)).not.toContain(idle);
    expect((await call(demo.manager, "POST", `/api/people/${idle}/restore`)).statusCode).toBe(409);
  });

  it("the data export (JSON and PDF) holds everything, and is journaled", async () => {
    const json = await call(demo.manager, "GET", `/api/people/${idle}/data-export/json`);
    expect(json.statusCode).toBe(200);
    expect(json.headers["content-disposition"]).toMatch(/attachment; filename="donnees-dossier-\d+\.json"/);
    const data = JSON.parse(json.body);
    const section = (key: string) => data.sections.find((s: { key: string }) => s.key === key);
    expect(section("person").rows[0]).toMatchObject({ lastName: "Dormant", phone: "+33611223344" });
    expect(section("measures").rows[0]).toMatchObject({
      offence: "Infraction de test",
      endDate: "2025-01-15",
    });
    expect(section("changes").rows.map((r: { field: string }) => r.field)).toContain("archive");
    const pdf = await call(demo.manager, "GET", `/api/people/${idle}/data-export/pdf`);
    expect(pdf.headers["content-type"]).toBe("application/pdf");
    const text = pdfText(pdf.rawPayload);
    expect(text).toContain("Dormant");
    expect(text).toContain("Mesures judiciaires");
    const rows = await t.handle.db
      .select()
      .from(auditEvent)
      .where(eq(auditEvent.action, "person.data_exported"));
    expect(rows.map((r) => r.reason)).toEqual(["droit d'accès, JSON", "droit d'accès, PDF"]);
  });

  it("the data export holds the direction's service's notes and shared ones, never the other service's private notes", async () => {
    const db = t.handle.db;
    const [manager] = await db.select({ id: user.id }).from(user).where(eq(user.email, demo.manager));
    const services = await db.select().from(service).where(eq(service.structureId, t.demoStructureId));
    const spip = services.find((s) => s.kind === "spip")!;
    const association = services.find((s) => s.kind === "association")!;
    const aNote = (authorServiceId: string, visibility: "service" | "shared", body: string) => ({
      structureId: t.demoStructureId,
      personId: idle,
      authorUserId: manager!.id,
      authorServiceId,
      visibility,
      body,
    });
    await db
      .insert(note)
      .values([
        aNote(spip.id, "service", "Note du SPIP"),
        aNote(association.id, "service", "Note privée de l'association"),
        aNote(association.id, "shared", "Note partagée sans consentement"),
      ]);
    const json = await call(demo.manager, "GET", `/api/people/${idle}/data-export/json`);
    const notes = JSON.parse(json.body).sections.find((s: { key: string }) => s.key === "notes");
    expect(notes.rows.map((r: { body: string }) => r.body)).toEqual(["Note du SPIP"]);
    expect(notes.title).toContain("réservées à l'autre service");
    const text = pdfText((await call(demo.manager, "GET", `/api/people/${idle}/data-export/pdf`)).rawPayload);
    expect(text).toContain("Note du SPIP");
    expect(text).not.toContain("Note privée");
    await db.delete(note).where(eq(note.personId, idle));
  });

  it("old journal rows are deleted and old messages emptied; the journal stays append-only otherwise", async () => {
    const db = t.handle.db;
    const old = new Date("2025-03-01T09:00:00Z");
    await db.insert(auditEvent).values(
      [1, 2, 3].map((i) => ({
        action: "person.read",
        targetType: "person",
        targetId: idle,
        structureId: t.demoStructureId,
        outcome: "success" as const,
        at: new Date(old.getTime() + i * 1000),
      })),
    );
    const [sent] = await db
      .insert(notification)
      .values({
        structureId: t.demoStructureId,
        personId: idle,
        kind: "reminder",
        channel: "sms",
        recipient: "+33611223344",
        status: "delivered",
        notBefore: old,
        body: "Rappel : rendez-vous demain",
        createdAt: old,
      })
      .returning();
    await expect(db.delete(auditEvent).where(eq(auditEvent.targetId, idle))).rejects.toThrow();
    const run = await call(demo.manager, "POST", `${retentionUrl()}/run`, { dryRun: false });
    expect(run.json().counts.journalRows).toBeGreaterThanOrEqual(3);
    expect(run.json().counts.messages).toBeGreaterThanOrEqual(1);
    const left = await db.select().from(auditEvent).where(sql`${auditEvent.at} < '2025-06-01'`);
    expect(left.filter((row) => row.structureId === t.demoStructureId)).toEqual([]);
    const [emptied] = await db.select().from(notification).where(eq(notification.id, sent!.id));
    expect(emptied).toMatchObject({ recipient: "", body: "", status: "delivered" });
  });

  it("an erasure failing half-way leaves the person whole, and the next run erases them", async () => {
    const victim = await agedPerson("Interrompu");
    const db = t.handle.db;
    const [counselor] = await db.select({ id: user.id }).from(user).where(eq(user.email, demo.counselor));
    await db.insert(orientation).values({
      structureId: t.demoStructureId,
      personId: victim,
      target: "mediation",
      reason: "Dossier Interrompu à reprendre",
      status: "completed",
      createdBy: counselor!.id,
      createdAt: new Date("2024-06-01T09:00:00Z"),
    });
    await db
      .update(person)
      .set({ archivedAt: new Date("2025-09-01T09:00:00Z") })
      .where(eq(person.id, victim));
    // A fault in the middle of the erasure (after the identity is blanked): the orientation's update fails.
    const owner = await t.handle.openOwnerPool();
    await owner.db.execute(
      sql.raw(
        "create function fail_erasure() returns trigger language plpgsql as $$ begin raise exception 'disk full'; end $$",
      ),
    );
    await owner.db.execute(
      sql.raw(
        `create trigger fail_erasure before update on orientation for each row when (old.person_id = '${victim}') execute function fail_erasure()`,
      ),
    );
    const failed = await call(demo.manager, "POST", `${retentionUrl()}/run`, { dryRun: false });
    expect(failed.json().counts).toMatchObject({ erased: 0, failed: 1 });
    const [whole] = await db.select().from(person).where(eq(person.id, victim));
    expect(whole).toMatchObject({ lastName: "Interrompu", phone: "+33611223344", erasedAt: null });
    const [kept] = await db.select().from(orientation).where(eq(orientation.personId, victim));
    expect(kept!.reason).toBe("Dossier Interrompu à reprendre");

    await owner.db.execute(sql.raw("drop trigger fail_erasure on orientation"));
    await owner.close();
    const resumed = await call(demo.manager, "POST", `${retentionUrl()}/run`, { dryRun: false });
    expect(resumed.json().counts).toMatchObject({ erased: 1, failed: 0 });
    const [gone] = await db.select().from(person).where(eq(person.id, victim));
    expect(gone).toMatchObject({ lastName: "", firstName: "", phone: "" });
    expect(gone!.erasedAt).not.toBeNull();
  });

  it("the nightly purge whose erasure the database failed (disk full) is run again within a minute, not the next night", async () => {
    const victim = await agedPerson("Coupure");
    const db = t.handle.db;
    await db
      .update(person)
      .set({ archivedAt: new Date("2025-09-01T09:00:00Z") })
      .where(eq(person.id, victim));
    const owner = await t.handle.openOwnerPool();
    // 53100 (disk full): a fault of the database, not of the erasure; any other person is erased.
    await owner.db.execute(
      sql.raw(
        "create function full_disk() returns trigger language plpgsql as $$ begin raise exception 'could not extend file' using errcode = '53100'; end $$",
      ),
    );
    await owner.db.execute(
      sql.raw(
        `create trigger full_disk before update on person for each row when (old.id = '${victim}') execute function full_disk()`,
      ),
    );
    const now = t.clock.now();
    await db.delete(scheduledJob).where(eq(scheduledJob.name, retentionPurge.name));
    await registerJobs(db, [{ ...retentionPurge, firstRunAt: undefined }], now);
    const logged: string[] = [];
    const deps = { db, clock: t.clock, log: (line: string) => logged.push(line) };
    expect(await runDueJobs(deps, [retentionPurge])).toEqual([retentionPurge.name]);
    const [cut] = await db.select().from(scheduledJob).where(eq(scheduledJob.name, retentionPurge.name));
    expect(cut!.nextRunAt).toEqual(new Date(now.getTime() + 60_000));
    expect(cut!.lastError).toContain("1 effacement en échec");
    expect(logged.join("\n")).toContain("53100");
    const [whole] = await db.select().from(person).where(eq(person.id, victim));
    expect(whole).toMatchObject({ lastName: "Coupure", erasedAt: null });

    await owner.db.execute(sql.raw("drop trigger full_disk on person"));
    await owner.close();
    t.clock.advance(60_000);
    expect(await runDueJobs(deps, [retentionPurge])).toEqual([retentionPurge.name]);
    const [gone] = await db.select().from(person).where(eq(person.id, victim));
    expect(gone!.erasedAt).not.toBeNull();
    const [done] = await db.select().from(scheduledJob).where(eq(scheduledJob.name, retentionPurge.name));
    expect(done).toMatchObject({ lastError: null });
    expect(done!.nextRunAt).toEqual(new Date(t.clock.now().getTime() + 24 * 3600_000));
  });
});
