/**
 * Expiry alerts of the conventions (ADR 0030): every hour, each signed convention whose end is
 * within the structure's delay gets one e-mail to the structure's direction per threshold (the
 * delay, 30 days, the end), through the outbox. The `convention_alert` row and the e-mails are
 * written in one transaction, and the row's unique key makes a second run — on this instance or
 * another — write nothing: at most one e-mail per convention, end date and threshold.
 */
import { and, eq, isNotNull } from "drizzle-orm";
import { parisDay } from "../../../common/calendar";
import { ALERT_DAYS } from "../../../common/conventions/conventions.schema";
import { formatDate } from "../../../common/dateFormat";
import type { Clock } from "../../core/clock";
import type { ScheduledJob } from "../../core/scheduler";
import type { Db } from "../../db/createDb";
import { convention, conventionAlert, conventionSettings } from "../../db/schema";
import { enqueueAgentNotices } from "../notifications/outbox";
import { activeAgentsWithRole } from "../structures/queries";
import { signedWithEnd } from "./queries";
import { daysBetween, dueThreshold } from "./rules";

function alertText(title: string, endsOn: string, daysLeft: number): { subject: string; body: string } {
  const when =
    daysLeft < 0
      ? `a expiré le ${formatDate(endsOn)}`
      : daysLeft === 0
        ? `prend fin aujourd'hui, ${formatDate(endsOn)}`
        : `prend fin le ${formatDate(endsOn)}, dans ${daysLeft} jour${daysLeft > 1 ? "s" : ""}`;
  return {
    subject:
      daysLeft < 0
        ? `Passerelle : convention expirée — ${title}`
        : `Passerelle : convention à renouveler — ${title}`,
    body: `Bonjour,\n\nLa convention « ${title} » ${when}.\n\nPréparez son renouvellement ou mettez-y fin depuis la page « Conventions » de Passerelle.\n\nPasserelle`,
  };
}

/**
 * Alerts the direction about one convention if a threshold is due and not alerted yet for this end
 * date: the row and the e-mails in the caller's transaction. True when it alerted.
 */
export async function alertIfDue(
  tx: Db,
  c: { id: string; structureId: string; title: string; endsOn: string; alertDays: number },
  now: Date,
): Promise<boolean> {
  const daysLeft = daysBetween(parisDay(now), c.endsOn);
  const threshold = dueThreshold(daysLeft, c.alertDays);
  if (threshold === null) return false;
  const [inserted] = await tx
    .insert(conventionAlert)
    .values({ conventionId: c.id, endsOn: c.endsOn, thresholdDays: threshold, sentAt: now })
    .onConflictDoNothing()
    .returning({ id: conventionAlert.id });
  if (!inserted) return false;
  const directors = await activeAgentsWithRole(tx, c.structureId, "service_manager");
  await enqueueAgentNotices(tx, {
    structureId: c.structureId,
    kind: "agent_alert",
    recipients: directors,
    ...alertText(c.title, c.endsOn, daysLeft),
    now,
  });
  return true;
}

/** Sends the alerts due now; returns how many conventions were alerted. */
export async function sendConventionAlerts(db: Db, clock: Clock): Promise<number> {
  const now = clock.now();
  const today = parisDay(now);
  const candidates = await db
    .select({
      id: convention.id,
      structureId: convention.structureId,
      title: convention.title,
      endsOn: convention.endsOn,
      alertDays: conventionSettings.alertDays,
    })
    .from(convention)
    .leftJoin(conventionSettings, eq(conventionSettings.structureId, convention.structureId))
    .where(and(signedWithEnd(), isNotNull(convention.endsOn)));
  let alerted = 0;
  for (const c of candidates) {
    const due = { ...c, endsOn: c.endsOn as string, alertDays: c.alertDays ?? ALERT_DAYS.default };
    // Most conventions are far from their end: no transaction for them.
    if (dueThreshold(daysBetween(today, due.endsOn), due.alertDays) === null) continue;
    if (await db.transaction((tx) => alertIfDue(tx, due, now))) alerted += 1;
  }
  return alerted;
}

export const conventionExpiryAlerts: ScheduledJob = {
  name: "conventions.expiry_alerts",
  everySeconds: 3600,
  run: async ({ db, clock }) => `${await sendConventionAlerts(db, clock)} alerte(s) de convention envoyée(s)`,
};
