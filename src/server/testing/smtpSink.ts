import { type AddressInfo, createServer } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  to: string;
  /** The envelope sender (MAIL FROM). */
  from: string;
  messageId: string;
  subject: string;
  text: string;
  /** Attached files (an ICS invitation: text/calendar), as text. */
  attachments: { filename: string; contentType: string; content: string }[];
  /** The HTML alternative, when there is one. */
  html: string;
  /** Every header as sent, by lower-case name (the last one of a name). */
  headers: Record<string, string>;
}

export interface SmtpSink {
  url: string;
  mails: ReceivedMail[];
  /** Recipients whose mail the server refuses with a permanent 550. */
  rejectRecipients: Set<string>;
  /**
   * The server's own refusals, as a relay out of order or misconfigured gives them: the next this
   * many connections are answered 554 at the greeting, the next this many MAIL FROM 553.
   */
  refuse: { connections: number; mailFrom: number };
  /** SMTP connections opened to it so far. */
  connections(): number;
  /**
   * The messages' DATA streams: opened (after its 354), ended (the terminating dot came), and cut
   * (the connection closed before the dot: the message is discarded, never in `mails`).
   */
  data: { started: number; ended: number; cut: number };
  close(): Promise<void>;
}

/** A real SMTP server (smtp-server) on 127.0.0.1 that keeps what it receives, parsed. */
export async function startSmtpSink(): Promise<SmtpSink> {
  const mails: ReceivedMail[] = [];
  const rejectRecipients = new Set<string>();
  const refuse = { connections: 0, mailFrom: 0 };
  const data = { started: 0, ended: 0, cut: 0 };
  let connections = 0;
  const server = new SMTPServer({
    authOptional: true,
    onConnect(_session, callback) {
      connections += 1;
      if (refuse.connections > 0) {
        refuse.connections -= 1;
        callback(Object.assign(new Error("Service unavailable, relay out of order"), { responseCode: 554 }));
        return;
      }
      callback();
    },
    onMailFrom(_address, _session, callback) {
      if (refuse.mailFrom > 0) {
        refuse.mailFrom -= 1;
        callback(
          Object.assign(new Error("Sender address rejected: not owned by user"), { responseCode: 553 }),
        );
        return;
      }
      callback();
    },
    disabledCommands: ["STARTTLS"],
    logger: false,
    // No reverse DNS lookup of 127.0.0.1 on each connection (it may wait for a resolver timeout).
    disableReverseLookup: true,
    onRcptTo(address, _session, callback) {
      if (rejectRecipients.has(address.address)) {
        const error = Object.assign(new Error("Mailbox unavailable"), { responseCode: 550 });
        callback(error);
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      data.started += 1;
      stream.once("end", () => {
        data.ended += 1;
      });
      stream.once("close", () => {
        if (!stream.readableEnded) data.cut += 1;
      });
      simpleParser(stream)
        .then((parsed) => {
          mails.push({
            to: session.envelope.rcptTo.map((r) => r.address).join(","),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            messageId: parsed.messageId ?? "",
            subject: parsed.subject ?? "",
            text: parsed.text ?? "",
            attachments: parsed.attachments.map((a) => ({
              filename: a.filename ?? "",
              contentType: a.contentType,
              content: a.content.toString("utf8"),
            })),
            html: typeof parsed.html === "string" ? parsed.html : "",
            headers: Object.fromEntries(
              parsed.headerLines.map((h) => [h.key, h.line.slice(h.line.indexOf(":") + 1).trim()]),
            ),
          });
          callback();
        })
        .catch(callback);
    },
  });
  // A client killed mid-session (a server process SIGKILLed while it sends) resets its connection:
  // the sink, like a real relay, goes on serving the others instead of crashing the test process.
  server.on("error", () => {});
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    rejectRecipients,
    refuse,
    connections: () => connections,
    data,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface CuttingSmtpServer {
  url: string;
  /** The raw messages received (headers and body) before each connection was cut. */
  received: string[];
  /** Messages cut before their end (`before-end`): their first bytes came, never the dot. */
  cutBeforeEnd: number;
  close(): Promise<void>;
}

/**
 * A minimal SMTP server that takes the whole message after DATA, then cuts the connection instead
 * of answering 250: the client cannot know whether the message was accepted. With `cutAt`, only
 * the messages of those numbers (1 for the first received, on any connection) are cut; the others
 * are answered 250 and the connection goes on. With `when: "before-end"`, every connection is cut
 * as soon as the first bytes of a message come, before its end could.
 */
export async function startCuttingSmtpServer(
  cutAt?: ReadonlySet<number>,
  when: "after-end" | "before-end" = "after-end",
): Promise<CuttingSmtpServer> {
  const received: string[] = [];
  const cutting = { cutBeforeEnd: 0 };
  const server = createServer((socket) => {
    let buffer = "";
    let inData = false;
    socket.write("220 cut.test.invalid ESMTP\r\n");
    socket.on("data", (chunk: Buffer) => {
      buffer += chunk.toString("utf8");
      if (inData && when === "before-end" && buffer.length > 0) {
        cutting.cutBeforeEnd += 1;
        socket.destroy();
        return;
      }
      if (inData) {
        const end = buffer.indexOf("\r\n.\r\n");
        if (end < 0) return;
        received.push(buffer.slice(0, end));
        if (!cutAt || cutAt.has(received.length)) {
          socket.destroy();
          return;
        }
        buffer = buffer.slice(end + 5);
        inData = false;
        socket.write("250 OK queued\r\n");
      }
      for (let eol = buffer.indexOf("\r\n"); eol >= 0 && !inData; eol = buffer.indexOf("\r\n")) {
        const line = buffer.slice(0, eol);
        buffer = buffer.slice(eol + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === "EHLO" || verb === "HELO") socket.write("250 cut.test.invalid\r\n");
        else if (verb === "DATA") {
          inData = true;
          socket.write("354 End data with <CR><LF>.<CR><LF>\r\n");
        } else if (verb === "QUIT") socket.end("221 Bye\r\n");
        else socket.write("250 OK\r\n");
      }
    });
    socket.on("error", () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    get cutBeforeEnd() {
      return cutting.cutBeforeEnd;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
