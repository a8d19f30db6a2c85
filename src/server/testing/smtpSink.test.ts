import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { smtpEmailSender } from "../domains/notifications/providers";
import { type SmtpSink, startSmtpSink } from "./smtpSink";

describe("the tests' SMTP sink", () => {
  let sink: SmtpSink | undefined;
  afterEach(async () => {
    await sink?.close();
  });

  it("survives a client reset mid-session (a sending server killed) and takes the next e-mail", async () => {
    sink = await startSmtpSink();
    const port = Number(new URL(sink.url).port);
    // A client killed inside a transaction (after MAIL FROM): its kernel resets the connection (RST).
    await new Promise<void>((resolve, reject) => {
      const socket = connect(port, "127.0.0.1");
      socket.on("error", () => {});
      const commands = ["EHLO killed.test\r\n", "MAIL FROM:<a@test.invalid>\r\n"];
      socket.on("data", () => {
        const next = commands.shift();
        if (next) socket.write(next);
        else {
          socket.resetAndDestroy();
          resolve();
        }
      });
      setTimeout(() => reject(new Error("the sink did not answer")), 5000);
    });
    await new Promise((resolve) => setTimeout(resolve, 200));

    const email = smtpEmailSender(sink.url, "France services <ne-pas-repondre@test.invalid>");
    await email.send(
      { id: "00000000-0000-4000-8000-000000000001", to: "a@test.invalid", subject: "Objet", text: "Texte" },
      { beforeDataEnd: async () => {} },
    );
    email.close();
    expect(sink.mails.map((mail) => mail.to)).toEqual(["a@test.invalid"]);
  });
});
