/**
 * `npm run bench`: slot search figures, as ratios to a bare baseline measured in the same run
 * (DESIGN §6). Runs on an in-memory PGlite with the demo structure and a month of bookings, or on
 * PostgreSQL when BENCH_DATABASE_URL is set (a scratch database: it is migrated and filled).
 */
import { performance } from "node:perf_hooks";
import { eq } from "drizzle-orm";
import { fakeClock } from "../src/server/core/clock";
import { loadConfig } from "../src/server/core/config";
import type { Deps } from "../src/server/core/deps";
import { createDb } from "../src/server/db/createDb";
import {
  auditEvent,
  convocation,
  demarche,
  demarcheEvent,
  demarcheType,
  person,
  referent,
  structure,
  user,
} from "../src/server/db/schema";
import { seedDemo } from "../src/server/db/seed/demo";
import { loadSlotInput } from "../src/server/domains/agenda/queries";
import { addDays, computeSlots, parisDay } from "../src/server/domains/agenda/rules";
import { logEmailSender, logSmsSender } from "../src/server/domains/notifications/providers";
import { runOnce } from "../src/server/domains/notifications/worker";
import { buildApp } from "../src/server/http/app";
import { demoCpipSession } from "./bench-stats";

const url = process.env.BENCH_DATABASE_URL;
const handle = url ? await createDb({ driver: "pg", url }) : await createDb({ driver: "pglite" });
await handle.migrate();
const now = new Date("2026-06-01T07:00:00Z");
await seedDemo(handle.db, now);
const clock = fakeClock(now);
const deps: Deps = {
  db: handle.db,
  clock,
  config: {
    SESSION_IDLE_MINUTES: 30,
    SESSION_ABSOLUTE_HOURS: 12,
    PUBLIC_URL: "http://localhost:3000",
    SMS_WEBHOOK_TOKEN: undefined,
    EXPORT_TIMEOUT_MS: loadConfig({}).EXPORT_TIMEOUT_MS,
  },
};
const [fs77] = await handle.db.select().from(structure).limit(1);
const structureId = fs77!.id;

// A realistic month: every other slot of every site booked once.
const today = parisDay(now);
const input = await loadSlotInput(handle.db, { structureId, fromDay: today, toDay: addDays(today, 30), now });
const people = await handle.db
  .select({ id: person.id })
  .from(person)
  .where(eq(person.structureId, structureId));
const [booker] = await handle.db
  .select({ id: user.id })
  .from(user)
  .where(eq(user.email, "cpip@demo.passerelle.fr"));
const month = computeSlots(input!);
const bookings = month
  .filter((_, i) => i % 2 === 0)
  .map((slot, i) => ({
    structureId,
    siteId: slot.siteId,
    personId: people[i % people.length]!.id,
    startsAt: slot.startsAt,
    endsAt: slot.endsAt,
    seat: 1,
    notifySms: false,
    notifyEmail: false,
    bookedBy: booker!.id,
  }));
if (bookings.length > 0) await handle.db.insert(convocation).values(bookings);

function stats(samples: number[]): { p50: number; p95: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { p50: at(0.5), p95: at(0.95) };
}
async function measure(runs: number, fn: () => unknown): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < 20; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return stats(samples);
}
const ms = (n: number) => `${n.toFixed(2)} ms`;

const app = await buildApp({ deps, publicUrl: "http://localhost:3000" });
const { cookie, csrfToken } = await demoCpipSession(app);

const fullInput = await loadSlotInput(handle.db, {
  structureId,
  fromDay: today,
  toDay: addDays(today, 30),
  now,
});
const pure = await measure(500, () => computeSlots(fullInput!));
const baseline = await measure(300, () =>
  app.inject({ method: "GET", url: "/api/auth/session", headers: { cookie } }),
);
const search = await measure(300, () =>
  app.inject({ method: "GET", url: `/api/structures/${structureId}/slots?days=31`, headers: { cookie } }),
);

console.log(
  `Slot search, ${handle.driver === "pg" ? "PostgreSQL" : "PGlite"}, demo structure (3 sites, ${fullInput!.rules.length} rules), 31 days, ${bookings.length} bookings`,
);
console.log(`  computeSlots (pure)          p50 ${ms(pure.p50)}  p95 ${ms(pure.p95)}`);
console.log(`  baseline GET /api/auth/session p50 ${ms(baseline.p50)}  p95 ${ms(baseline.p95)}`);
console.log(`  GET /slots?days=31            p50 ${ms(search.p50)}  p95 ${ms(search.p95)}`);
console.log(
  `  ratio slots / baseline        p50 ${(search.p50 / baseline.p50).toFixed(2)}  p95 ${(search.p95 / baseline.p95).toFixed(2)}`,
);

// Booking: one transaction (slot lock, seat, outbox rows for SMS and email, journal), each on a
// free seat of the month, for people the CPIP refers.
const mine = await handle.db
  .select({ id: person.id })
  .from(person)
  .innerJoin(referent, eq(referent.personId, person.id))
  .where(eq(referent.userId, booker!.id));
const freeSlots = computeSlots(
  (await loadSlotInput(handle.db, { structureId, fromDay: today, toDay: addDays(today, 30), now }))!,
).filter((slot) => slot.capacity > slot.booked);
const book = (slot: (typeof freeSlots)[number], i: number, target = app) =>
  target.inject({
    method: "POST",
    url: "/api/convocations",
    headers: { cookie, "x-csrf-token": csrfToken },
    payload: {
      personId: mine[i % mine.length]!.id,
      siteId: slot.siteId,
      startsAt: slot.startsAt.toISOString(),
      needDomains: ["acces-aux-droits"],
      notifySms: true,
      notifyEmail: true,
    },
  });
const bookingRuns = Math.min(100, freeSlots.length - 1);
let next = 0;
const booking = await measure(bookingRuns - 20, async () => {
  const response = await book(freeSlots[next]!, next);
  next += 1;
  if (response.statusCode !== 200) throw new Error(`booking failed: ${response.body}`);
});
console.log(`Booking (POST /api/convocations with SMS and email, ${bookingRuns} bookings)`);
console.log(
  `  p50 ${ms(booking.p50)}  p95 ${ms(booking.p95)}  ratio to baseline p50 ${(booking.p50 / baseline.p50).toFixed(2)}  p95 ${(booking.p95 / baseline.p95).toFixed(2)}`,
);

// 100 concurrent bookers on the last free slot, spread over two app instances (two pools on PostgreSQL).
const contested = freeSlots[freeSlots.length - 1]!;
const second = url ? await createDb({ driver: "pg", url }) : handle;
const otherApp = await buildApp({ deps: { ...deps, db: second.db }, publicUrl: "http://localhost:3000" });
const start = performance.now();
const answers = await Promise.all(
  Array.from({ length: 100 }, (_, i) => book(contested, i, i % 2 === 0 ? app : otherApp)),
);
const elapsed = performance.now() - start;
const won = answers.filter((r) => r.statusCode === 200).length;
const refused = answers.filter((r) => r.statusCode === 409).length;
console.log(
  `100 concurrent bookers, one slot of ${contested.capacity - contested.booked} free place(s), 2 app instances: ${won} booked, ${refused} refused (409), ${answers.length - won - refused} other, in ${ms(elapsed)}`,
);
if (won !== contested.capacity - contested.booked) throw new Error("double booking or lost booking");
await otherApp.close();
if (second !== handle) await second.close();

// The outbox: sending what the bookings queued, with providers that only log.
const workerDeps = {
  db: handle.db,
  clock,
  email: logEmailSender(() => {}),
  sms: logSmsSender(() => {}),
  publicUrl: "http://localhost:3000",
  smsWebhookToken: null,
  log: () => {},
};
clock.set(new Date("2026-06-01T10:00:00Z"));
const outboxStart = performance.now();
const sent = await runOnce(workerDeps);
const outboxMs = performance.now() - outboxStart;
console.log(
  `Outbox worker: ${sent} messages rendered and handed to the providers in ${ms(outboxMs)} (${(sent / (outboxMs / 1000)).toFixed(0)} per second)`,
);
clock.set(now);

// A person file with 200 history events: 80 convocations (booked + a status), 40 démarche steps.
const [followed] = mine;
const history = await handle.db
  .insert(convocation)
  .values(
    Array.from({ length: 80 }, (_, i) => {
      const startsAt = new Date(Date.UTC(2024, 0, 1 + i * 7, 8));
      return {
        structureId,
        siteId: freeSlots[0]!.siteId,
        personId: followed!.id,
        startsAt,
        endsAt: new Date(startsAt.getTime() + 45 * 60_000),
        seat: 9 + (i % 3),
        status: "honoured" as const,
        notifySms: false,
        notifyEmail: false,
        bookedBy: booker!.id,
      };
    }),
  )
  .returning({ id: convocation.id, startsAt: convocation.startsAt });
await handle.db.insert(auditEvent).values(
  history.flatMap((c) => [
    {
      at: c.startsAt,
      actorUserId: booker!.id,
      action: "convocation.booked",
      targetType: "convocation",
      targetId: c.id,
      structureId,
      outcome: "success" as const,
    },
    {
      at: c.startsAt,
      actorUserId: booker!.id,
      action: "convocation.honoured",
      targetType: "convocation",
      targetId: c.id,
      structureId,
      outcome: "success" as const,
    },
  ]),
);
const [anyType] = await handle.db.select().from(demarcheType).limit(1);
const [followedDemarche] = await handle.db
  .insert(demarche)
  .values({
    structureId,
    personId: followed!.id,
    demarcheTypeId: anyType!.id,
    helpLevel: "guided",
    status: "in_progress",
    createdBy: booker!.id,
  })
  .returning();
await handle.db.insert(demarcheEvent).values(
  Array.from({ length: 40 }, (_, i) => ({
    demarcheId: followedDemarche!.id,
    at: new Date(Date.UTC(2024, 1, 1 + i)),
    byUserId: booker!.id,
    status: "in_progress" as const,
  })),
);
const timeline = await app.inject({
  method: "GET",
  url: `/api/people/${followed!.id}/timeline`,
  headers: { cookie },
});
const eventCount = timeline.json().events.length;
const fileRequests = () =>
  Promise.all(
    ["", "/timeline", "/accompaniment"].map((suffix) =>
      app.inject({ method: "GET", url: `/api/people/${followed!.id}${suffix}`, headers: { cookie } }),
    ),
  );
const file = await measure(100, fileRequests);
console.log(`Person file with ${eventCount} history events (file + history + accompaniment, 3 requests)`);
console.log(
  `  p50 ${ms(file.p50)}  p95 ${ms(file.p95)}  ratio to 3 × baseline p50 ${(file.p50 / (3 * baseline.p50)).toFixed(2)}`,
);

await app.close();
await handle.close();
