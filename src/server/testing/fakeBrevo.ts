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
  /** When the fake took it (its clock). */
  at: Date;
}

/** One row of Brevo's SMS event log (GET /v3/transactionalSMS/statistics/events). */
export interface BrevoSmsEvent {
  phoneNumber: string;
  date: string;
  messageId: string;
  event: "sent" | "accepted" | "delivered" | "softBounce" | "hardBounce" | "rejected" | "skip";
  /** Brevo reports the SMS's tag as one string (several joined by commas here). */
  tag: string;
}

/**
 * How the event log misbehaves: `slow` answers only once the client gave up (closed the
 * connection, its timeout past), `down` answers 503, `cut` closes the connection.
 */
export type EventsMisbehaviour = "slow" | "down" | "cut";

/**
 * Ways the fake takes an SMS without the client learning it: `late` holds its 201 until the client
 * gave up (its timeout fired and it closed the connection), however long that takes on a loaded
 * machine; `cut` closes the connection once the request is read.
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
  /** Whether the next SMS sent will be answered `late` (no forced failure before it). */
  readonly nextSendIsLate: boolean;
  /** Resolves once the fake holds a request unanswered (a `late` SMS taken, a `slow` event log read). */
  nextHold(): Promise<void>;
  /** Brevo's event log: a `sent` event for every SMS taken, and the receipts `report` posts. */
  events: BrevoSmsEvent[];
  /** The queries made to the event log, in order. */
  lookups: URLSearchParams[];
  /** How the event log answers from now on (null: normally). */
  eventsMisbehaviour: EventsMisbehaviour | null;
  /** The fake's clock (dates of the events, `days` of the event log): the tests' fake clock. */
  now: () => Date;
  /** Posts a delivery event to the message's webUrl, as Brevo does. */
  report(messageId: number, msgStatus: "sent" | "delivered" | "soft_bounce" | "hard_bounce"): Promise<number>;
  close(): Promise<void>;
}

const EVENT_OF_RECEIPT = {
  sent: "sent",
  delivered: "delivered",
  soft_bounce: "softBounce",
  hard_bounce: "hardBounce",
} as const;

const dayOf = (at: Date): string => at.toISOString().slice(0, 10);

/**
 * Brevo's event log as its reference describes it: `limit` (≤ 100, default 50), `offset`, either
 * `days` (today included) or both `startDate` and `endDate` (YYYY-MM-DD), `phoneNumber`, `event`,
 * `tags` (one tag, several separated by commas, or a JSON array), `sort` (desc by default);
 * answers `{ events }`, `events` null when nothing matched.
 */
function eventLog(
  events: BrevoSmsEvent[],
  query: URLSearchParams,
  now: Date,
): { status: number; body: unknown } {
  const invalid = (message: string) => ({ status: 400, body: { code: "invalid_parameter", message } });
  const limit = Number(query.get("limit") ?? 50);
  const offset = Number(query.get("offset") ?? 0);
  if (!Number.isInteger(limit) || limit < 0 || limit > 100) return invalid("limit must be between 0 and 100");
  const days = query.get("days");
  const startDate = query.get("startDate");
  const endDate = query.get("endDate");
  if (days !== null && (startDate !== null || endDate !== null))
    return invalid("days is not compatible with startDate and endDate");
  if ((startDate === null) !== (endDate === null)) return invalid("startDate and endDate go together");
  const rawTags = query.get("tags");
  const tags =
    rawTags === null
      ? null
      : rawTags.startsWith("[")
        ? (JSON.parse(rawTags) as string[])
        : rawTags.split(",").map((t) => t.trim());
  const from = days !== null ? dayOf(new Date(now.getTime() - (Number(days) - 1) * 86_400_000)) : startDate;
  const to = days !== null ? dayOf(now) : endDate;
  const matched = events.filter((e) => {
    const day = e.date.slice(0, 10);
    if (from !== null && day < from) return false;
    if (to !== null && day > to) return false;
    if (query.get("phoneNumber") && e.phoneNumber !== query.get("phoneNumber")) return false;
    if (query.get("event") && e.event !== query.get("event")) return false;
    if (tags && !e.tag.split(",").some((t) => tags.includes(t))) return false;
    return true;
  });
  matched.sort((a, b) => (query.get("sort") === "asc" ? 1 : -1) * a.date.localeCompare(b.date));
  const page = matched.slice(offset, offset + limit);
  return { status: 200, body: { events: page.length > 0 ? page : null } };
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
 * 401 unauthorized, 402 not_enough_credits…), its delivery events posted to `webUrl`, and its
 * event log `GET /v3/transactionalSMS/statistics/events` (`eventLog`), slow, down or cut on demand.
 */
export async function startFakeBrevo(apiKey = "test-brevo-key"): Promise<FakeBrevo> {
  const sent: BrevoSms[] = [];
  const events: BrevoSmsEvent[] = [];
  const lookups: URLSearchParams[] = [];
  const clock = { now: () => new Date() };
  const eventsState = { misbehaviour: null as EventsMisbehaviour | null };
  const nextFailures: FakeBrevo["nextFailures"] = [];
  const nextMisbehaviours: Misbehaviour[] = [];
  let nextId = 1511882900176220;
  const holdWaiters: (() => void)[] = [];
  const held = () => {
    for (const resolve of holdWaiters.splice(0)) resolve();
  };
  const server = createServer(async (req, res) => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const isEvents = req.method === "GET" && url.pathname === "/v3/transactionalSMS/statistics/events";
    if (!isEvents && (req.method !== "POST" || url.pathname !== "/v3/transactionalSMS/send"))
      return reply(404, { code: "not_found", message: "Not found" });
    if (req.headers["api-key"] !== apiKey)
      return reply(401, { code: "unauthorized", message: "Key not found" });
    if (isEvents) {
      lookups.push(url.searchParams);
      const misbehaviour = eventsState.misbehaviour;
      if (misbehaviour === "cut") return req.socket.destroy();
      if (misbehaviour === "down")
        return reply(503, { code: "service_unavailable", message: "Service temporarily unavailable" });
      const answer = eventLog(events, url.searchParams, clock.now());
      // Never before the client gave up: its timeout, not the fake's pace, decides.
      if (misbehaviour === "slow") return held();
      return reply(answer.status, answer.body);
    }
    const body = (await readJson(req)) as Partial<BrevoSms> | undefined;
    const forced = nextFailures.shift();
    if (forced) return reply(forced.status, { code: forced.code, message: forced.message });
    if (!body?.sender || !body.content || !/^\d{8,15}$/.test(body.recipient ?? ""))
      return reply(400, { code: "invalid_parameter", message: "recipient, sender and content are required" });
    const messageId = nextId++;
    const at = clock.now();
    sent.push({
      messageId,
      sender: body.sender,
      recipient: body.recipient!,
      content: body.content,
      type: body.type ?? "transactional",
      tag: body.tag,
      webUrl: body.webUrl,
      at,
    });
    events.push({
      phoneNumber: body.recipient!,
      date: at.toISOString(),
      messageId: String(messageId),
      event: "sent",
      tag: Array.isArray(body.tag) ? body.tag.join(",") : (body.tag ?? ""),
    });
    const misbehaviour = nextMisbehaviours.shift();
    if (misbehaviour === "cut") return req.socket.destroy();
    // Taken, but the answer is held until the client closes the connection (its timeout fired).
    if (misbehaviour === "late") return held();
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
    events,
    lookups,
    get eventsMisbehaviour() {
      return eventsState.misbehaviour;
    },
    set eventsMisbehaviour(value: EventsMisbehaviour | null) {
      eventsState.misbehaviour = value;
    },
    get now() {
      return clock.now;
    },
    set now(now: () => Date) {
      clock.now = now;
    },
    get nextSendIsLate() {
      return nextFailures.length === 0 && nextMisbehaviours[0] === "late";
    },
    nextHold: () => new Promise<void>((resolve) => holdWaiters.push(resolve)),
    async report(messageId, msgStatus) {
      const sms = sent.find((s) => s.messageId === messageId);
      if (!sms?.webUrl) throw new Error(`no webUrl for message ${messageId}`);
      if (msgStatus !== "sent")
        events.push({
          phoneNumber: sms.recipient,
          date: clock.now().toISOString(),
          messageId: String(messageId),
          event: EVENT_OF_RECEIPT[msgStatus],
          tag: Array.isArray(sms.tag) ? sms.tag.join(",") : (sms.tag ?? ""),
        });
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
