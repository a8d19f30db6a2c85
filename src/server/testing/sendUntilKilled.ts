/**
 * A process that sends one e-mail through `smtpEmailSender` and never finishes writing its
 * end-of-data marker, as a worker whose database write is in flight: it prints "marking" once the
 * relay accepted DATA and the whole message but its end was handed over, then waits to be killed
 * (`kill -9` from the test). Arguments: the SMTP URL, the notification id, the recipient.
 */
import { smtpEmailSender } from "../domains/notifications/providers";

const [url, id, to] = process.argv.slice(2);
if (!url || !id || !to) throw new Error("usage: sendUntilKilled <smtp url> <notification id> <recipient>");
const email = smtpEmailSender(url, "France services <ne-pas-repondre@test.invalid>");
void email
  .send(
    { id, to, subject: "Votre convocation", text: "Vous êtes convoqué." },
    {
      beforeDataEnd: () => {
        process.stdout.write("marking\n");
        return new Promise<void>(() => {});
      },
    },
  )
  .catch(() => {});
