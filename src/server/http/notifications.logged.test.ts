import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { convocation } from "../db/schema";
import { logEmailSender, logSmsSender, type SmsSender } from "../domains/notifications/providers";
import { runOnce } from "../domains/notifications/worker";
import { type OutboxHarness, startOutboxHarness } from "../testing/outboxHarness";
import { demo } from "../testing/testApp";

// No provider configured: the development adapters only write the message to the server's log.
// Such a message reached no one, and the log and the person's history say so — never "Envoyé".
let h: OutboxHarness;
const printed: string[] = [];

beforeAll(async () => {
  h = await startOutboxHarness(logEmailSender((line) => printed.push(line)));
});
afterEach(() => h.reset());
afterAll(() => h.close());

const timelineTitles = async (convocationId: string): Promise<string[]> => {
  const [booked] = await h.t.handle.db.select().from(convocation).where(eq(convocation.id, convocationId));
  const timeline = await h.t.app.inject({
    method: "GET",
    url: `/api/people/${booked!.personId}/timeline`,
    headers: await h.t.sessionFor(demo.cpip),
  });
  expect(timeline.statusCode, timeline.body).toBe(200);
  return timeline.json().events.map((e: { title: string }) => e.title);
};

describe("a message only written to the log", () => {
  it("an e-mail is 'Non envoyé : aucun fournisseur configuré' in the log and the person's history", async () => {
    const summon = await h.aBookedSummon("email");
    await runOnce(h.worker);
    expect(printed.some((line) => line.includes("courriel non envoyé"))).toBe(true);
    expect(await h.rowOf(summon.id)).toMatchObject({ status: "logged", attempts: 1 });

    const logged = await h.log("logged");
    expect(logged.statusCode).toBe(200);
    expect(logged.json().notifications.map((n: { id: string }) => n.id)).toContain(summon.id);
    const sent = await h.log("sent");
    expect(sent.json().notifications.map((n: { id: string }) => n.id)).not.toContain(summon.id);
    expect(await timelineTitles(summon.convocationId)).toContainEqual(
      expect.stringContaining("non envoyé : aucun fournisseur configuré"),
    );
  });

  it("an SMS through the log adapter is logged, one through the provider is sent", async () => {
    // A provider that took the message (answering at once, whatever the machine's load).
    const provider: SmsSender = { send: async (message) => ({ providerMessageId: `brevo-${message.id}` }) };
    const throughProvider = await h.aBookedSummon("sms");
    await runOnce({ ...h.worker, sms: provider });
    expect(await h.rowOf(throughProvider.id)).toMatchObject({ status: "sent" });

    const onlyLogged = await h.aBookedSummon("sms");
    await runOnce({ ...h.worker, sms: logSmsSender(() => {}) });
    expect(await h.rowOf(onlyLogged.id)).toMatchObject({ status: "logged" });
    expect(h.smsTo(onlyLogged.phone)).toHaveLength(0);
  });
});

describe("the development e-mail adapter", () => {
  it("prints every link of the text, also one that follows words on its line (an invitation's answers)", async () => {
    const lines: string[] = [];
    await logEmailSender((line) => lines.push(line)).send(
      {
        id: "n1",
        to: "claire.martin@caf77.invalid",
        subject: "Invitation : Atelier",
        text: [
          "Bonjour,",
          "Je participe : https://passerelle.test/invitation/abc?reponse=oui",
          "Je ne participe pas : https://passerelle.test/invitation/abc?reponse=non",
          "https://passerelle.test/",
        ].join("\n"),
      },
      { beforeDataEnd: async () => {} },
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("https://passerelle.test/invitation/abc?reponse=oui");
    expect(lines[0]).toContain("https://passerelle.test/invitation/abc?reponse=non");
    expect(lines[0]).not.toContain("Bonjour");
  });
});
