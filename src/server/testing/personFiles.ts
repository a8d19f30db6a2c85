import { eq } from "drizzle-orm";
import { notification, person, service } from "../db/schema";
import { aPerson } from "./builders";
import { demo, type TestApp } from "./testApp";

/** A person referred by the demo CPIP, with a phone and an e-mail. */
export async function aContactablePerson(t: TestApp, phone: string, email: string) {
  const [spip] = await t.handle.db.select().from(service).where(eq(service.kind, "spip"));
  const created = await aPerson(t.handle.db, {
    structureId: t.demoStructureId,
    referentUserId: await t.userId(demo.cpip),
    referentServiceId: spip!.id,
  });
  await t.handle.db.update(person).set({ phone, email }).where(eq(person.id, created.id));
  return created.id;
}

/** Books the first free slot at least `afterHours` from the fake clock, through the API. */
export async function bookThroughApi(
  t: TestApp,
  personId: string,
  afterHours: number,
  choice: { sms: boolean; email: boolean } = { sms: true, email: true },
): Promise<string> {
  const headers = await t.sessionFor(demo.cpip);
  const after = new Date(t.clock.now().getTime() + afterHours * 3_600_000);
  const slots = await t.app.inject({
    method: "GET",
    url: `/api/structures/${t.demoStructureId}/slots?days=40&from=${after.toISOString().slice(0, 10)}&personId=${personId}`,
    headers,
  });
  const slot = (slots.json().slots as { siteId: string; startsAt: string; free: number }[]).find(
    (s) => s.free > 0 && new Date(s.startsAt) >= after,
  );
  if (!slot) throw new Error("no free slot");
  const booked = await t.app.inject({
    method: "POST",
    url: "/api/convocations",
    headers,
    payload: {
      personId,
      siteId: slot.siteId,
      startsAt: slot.startsAt,
      needDomains: ["acces-aux-droits"],
      notifySms: choice.sms,
      notifyEmail: choice.email,
      // Whatever else the person has that half-day (the rule's own tests: agenda.sameHalfDay.test.ts).
      confirmSameHalfDay: true,
    },
  });
  if (booked.statusCode !== 200) throw new Error(booked.body);
  return booked.json().id;
}

/** The person's messages as "kind/channel/status/recipient", sorted. */
export async function messagesOf(t: TestApp, personId: string): Promise<string[]> {
  const rows = await t.handle.db.select().from(notification).where(eq(notification.personId, personId));
  return rows.map((r) => `${r.kind}/${r.channel}/${r.status}/${r.recipient}`).sort();
}
