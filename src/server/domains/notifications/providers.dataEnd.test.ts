import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SmtpSink, startCuttingSmtpServer, startSmtpSink } from "../../testing/smtpSink";
import { smtpEmailSender } from "./providers";
import { SendError, UncertainSendError } from "./rules";

// ADR 0004, addendum 2026-12-04: the terminating dot of an e-mail leaves only once the caller's
// `beforeDataEnd` resolved, checked against a real SMTP server (smtp-server).
const FROM = "France services <ne-pas-repondre@test.invalid>";
let sink: SmtpSink;

beforeAll(async () => {
  sink = await startSmtpSink();
});
afterAll(() => sink.close());

let counter = 0;
const aMessage = () => {
  counter += 1;
  return {
    id: `00000000-0000-4000-8000-${String(counter).padStart(12, "0")}`,
    to: `personne${counter}@exemple.invalid`,
    subject: "Votre convocation",
    // A line starting with a dot and a long body: the message crosses several stream chunks.
    text: `.Bonjour\n${"Votre rendez-vous est confirmé. ".repeat(3_000)}\nFin`,
  };
};

const until = async (condition: () => boolean, what: string): Promise<void> => {
  for (let i = 0; i < 500 && !condition(); i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
};

/** A `beforeDataEnd` the test lets go of (or fails) when it wants, as a slow database would. */
function heldMarker() {
  let resolve: () => void = () => {};
  let reject: (error: Error) => void = () => {};
  const marker = {
    called: false,
    hook: () =>
      new Promise<void>((ok, ko) => {
        marker.called = true;
        resolve = ok;
        reject = ko;
      }),
    release: () => resolve(),
    fail: (error: Error) => reject(error),
  };
  return marker;
}

describe("the end of an e-mail waits for beforeDataEnd", () => {
  it("the server has the message's data but not its end until the hook resolved; then it takes it", async () => {
    const email = smtpEmailSender(sink.url, FROM);
    const before = { ...sink.data, mails: sink.mails.length };
    const marker = heldMarker();
    const message = aMessage();
    try {
      const sending = email.send(message, { beforeDataEnd: marker.hook });
      await until(() => marker.called, "the hook");
      // The relay accepted DATA and reads the message, whole but for its end.
      expect(sink.data.started).toBe(before.started + 1);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(sink.data.ended).toBe(before.ended);
      expect(sink.mails).toHaveLength(before.mails);

      marker.release();
      expect((await sending).providerMessageId).toBe(`<notification-${message.id}@test.invalid>`);
      expect(sink.data.ended).toBe(before.ended + 1);
      expect(sink.mails).toHaveLength(before.mails + 1);
      expect(sink.mails.at(-1)!.text).toContain(".Bonjour");
      expect(sink.mails.at(-1)!.text.trimEnd().endsWith("Fin")).toBe(true);
    } finally {
      email.close();
    }
  });

  it("a hook that fails stops the send before the end: nothing taken, a retryable refusal, the next e-mail leaves", async () => {
    const email = smtpEmailSender(sink.url, FROM);
    const before = { ...sink.data, mails: sink.mails.length };
    const marker = heldMarker();
    try {
      const sending = email.send(aMessage(), { beforeDataEnd: marker.hook }).catch((e: unknown) => e);
      await until(() => marker.called, "the hook");
      marker.fail(new Error("database unavailable"));
      const error = await sending;
      expect(error).toBeInstanceOf(SendError);
      expect(error).not.toBeInstanceOf(UncertainSendError);
      expect((error as SendError).retryable).toBe(true);
      expect((error as SendError).message).toContain("avant la fin du message");
      // The server saw the message begin, lost its connection before the dot, and kept nothing.
      await until(() => sink.data.cut === before.cut + 1, "the cut data stream");
      expect(sink.data.started).toBe(before.started + 1);
      expect(sink.data.ended).toBe(before.ended);
      expect(sink.mails).toHaveLength(before.mails);

      // The sender goes on over a new connection.
      const next = aMessage();
      await email.send(next, { beforeDataEnd: async () => {} });
      expect(sink.mails).toHaveLength(before.mails + 1);
      expect(sink.mails.at(-1)!.messageId).toBe(`<notification-${next.id}@test.invalid>`);
    } finally {
      email.close();
    }
  });

  it("a connection cut while the end is held: certainly not taken, retried rather than uncertain", async () => {
    const cutting = await startCuttingSmtpServer(undefined, "before-end");
    const email = smtpEmailSender(cutting.url, FROM);
    const marker = heldMarker();
    try {
      const sending = email.send(aMessage(), { beforeDataEnd: marker.hook }).catch((e: unknown) => e);
      const error = await sending;
      marker.release();
      expect(cutting.cutBeforeEnd).toBe(1);
      expect(cutting.received).toHaveLength(0);
      expect(error).toBeInstanceOf(SendError);
      expect(error).not.toBeInstanceOf(UncertainSendError);
      expect((error as SendError).retryable).toBe(true);
    } finally {
      email.close();
      await cutting.close();
    }
  });

  it("a connection cut after the marked end: uncertain and final, never resent", async () => {
    const cutting = await startCuttingSmtpServer();
    const email = smtpEmailSender(cutting.url, FROM);
    let marked = 0;
    try {
      const error = await email
        .send(aMessage(), {
          beforeDataEnd: async () => {
            marked += 1;
          },
        })
        .catch((e: unknown) => e);
      expect(marked).toBe(1);
      expect(cutting.received).toHaveLength(1);
      expect(error).toBeInstanceOf(UncertainSendError);
      expect((error as UncertainSendError).final).toBe(true);
    } finally {
      email.close();
      await cutting.close();
    }
  });
});
