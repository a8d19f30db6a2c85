import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export interface BrevoSms {
  messageId: number;
  sender: string;
  recipient: string;
  content: string;
  type: string;
  tag: string | string[] | undefined;
  webUrl: string | undefined;
}

/**
 * Ways the fake takes an SMS without the client learning it: `late` answers 201 after
 * `lateAnswerMs` (past the client's timeout), `cut` closes the connection once the request is read.
 */
export type Misbehaviour = "late" | "cut";

export interface FakeBrevo {
  /** Base URL to give as BREVO_API_URL (…/v3). */
  apiUrl: string;
  apiKey: string;
  sent: BrevoSms[];
  /** Answers to force on the next calls, in order (status and Brevo error body). */
  nextFailures: { status: number; code: string; message: string }[];
  /** Misbehaviours to apply to the next accepted SMS, in order: the SMS is still recorded as sent. */
  nextMisbehaviours: Misbehaviour[];
  lateAnswerMs: number;
  /** Posts a delivery event to the message's webUrl, as Brevo does. */
  report(messageId: number, msgStatus: "sent" | "delivered" | "soft_bounce" | "hard_bounce"): Promise<number>;
  close(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    return undefined;
  }
}

/**
 * A stand-in for Brevo's transactional SMS API on 127.0.0.1: `POST /v3/transactionalSMS/send`
 * with the `api-key` header, its error bodies (`{ code, message }`: 400 invalid_parameter,
 * 401 unauthorized, 402 not_enough_credits…) and its delivery events posted to `webUrl`.
 */
export async function startFakeBrevo(apiKey = "test-brevo-key"): Promise<FakeBrevo> {
  const sent: BrevoSms[] = [];
  const nextFailures: FakeBrevo["nextFailures"] = [];
  const nextMisbehaviours: Misbehaviour[] = [];
  const state = { lateAnswerMs: 500 };
  let nextId = 1511882900176220;
  const server = createServer(async (req, res) => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (req.method !== "POST" || req.url !== "/v3/transactionalSMS/send")
      return reply(404, { code: "not_found", message: "Not found" });
    if (req.headers["api-key"] !== apiKey)
      return reply(401, { code: "unauthorized", message: "Key not found" });
    const body = (await readJson(req)) as Partial<BrevoSms> | undefined;
    const forced = nextFailures.shift();
    if (forced) return reply(forced.status, { code: forced.code, message: forced.message });
    if (!body?.sender || !body.content || !/^\d{8,15}$/.test(body.recipient ?? ""))
      return reply(400, { code: "invalid_parameter", message: "recipient, sender and content are required" });
    const messageId = nextId++;
    sent.push({
      messageId,
      sender: body.sender,
      recipient: body.recipient!,
      content: body.content,
      type: body.type ?? "transactional",
      tag: body.tag,
      webUrl: body.webUrl,
    });
    const misbehaviour = nextMisbehaviours.shift();
    if (misbehaviour === "cut") return req.socket.destroy();
    if (misbehaviour === "late") {
      setTimeout(() => {
        if (!res.destroyed) reply(201, { messageId });
      }, state.lateAnswerMs);
      return;
    }
    return reply(201, { messageId });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}/v3`,
    apiKey,
    sent,
    nextFailures,
    nextMisbehaviours,
    get lateAnswerMs() {
      return state.lateAnswerMs;
    },
    set lateAnswerMs(ms: number) {
      state.lateAnswerMs = ms;
    },
    async report(messageId, msgStatus) {
      const sms = sent.find((s) => s.messageId === messageId);
      if (!sms?.webUrl) throw new Error(`no webUrl for message ${messageId}`);
      const response = await fetch(sms.webUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          id: 26570,
          to: sms.recipient,
          sms_count: 1,
          credits_used: 1,
          messageId,
          remaining_credit: 100,
          msg_status: msgStatus,
          date: new Date().toISOString(),
          type: "transactional",
          reference: `ref-${messageId}`,
        }),
      });
      return response.status;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
