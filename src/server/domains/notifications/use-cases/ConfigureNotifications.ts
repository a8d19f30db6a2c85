import { and, eq, notInArray } from "drizzle-orm";
import { errors } from "../../../../common/errors";
import { frenchList } from "../../../../common/frenchList";
import type {
  NotificationConfig,
  NotificationSettings,
  TemplateView,
} from "../../../../common/notifications/notifications.schema";
import {
  defaultTemplates,
  MAX_SMS_SEGMENTS,
  type NotificationChannel,
  type NotificationKind,
  notificationChannels,
  notificationKinds,
  renderSms,
  samplePlaceholderValues,
  sampleStopUrl,
  smsSize,
  unknownPlaceholders,
} from "../../../../common/notifications/templates";
import { journalFor } from "../../../core/audit";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import type { Db } from "../../../db/createDb";
import { notificationSettings, notificationTemplate, site } from "../../../db/schema";
import { loadSettings } from "../outbox";
import { assertManagesNotifications } from "../policies";

/**
 * The site values that make the longest message: previews and size checks use them. Prisons and
 * SAS are left out: nobody there receives a message (convocations go through the establishment).
 */
async function longestSite(db: Db, structureId: string): Promise<NotificationConfig["longestSite"]> {
  const sites = await db
    .select()
    .from(site)
    .where(and(eq(site.structureId, structureId), notInArray(site.kind, ["prison", "sas"])));
  const longest = sites
    .map((s) => ({ lieu: s.name, adresse: s.address, telephone: s.phone }))
    .sort(
      (a, b) =>
        b.lieu.length +
        b.adresse.length +
        b.telephone.length -
        (a.lieu.length + a.adresse.length + a.telephone.length),
    )[0];
  return (
    longest ?? {
      lieu: samplePlaceholderValues.lieu,
      adresse: samplePlaceholderValues.adresse,
      telephone: samplePlaceholderValues.telephone,
    }
  );
}

export async function getNotificationConfig(
  deps: Deps,
  ctx: RequestContext,
  structureId: string,
): Promise<NotificationConfig> {
  assertManagesNotifications(ctx.actor, structureId);
  const own = await deps.db
    .select()
    .from(notificationTemplate)
    .where(eq(notificationTemplate.structureId, structureId));
  const templates: TemplateView[] = notificationKinds.flatMap((kind) =>
    notificationChannels.map((channel) => {
      const found = own.find((t) => t.kind === kind && t.channel === channel);
      return {
        kind,
        channel,
        ...(found ? { subject: found.subject, body: found.body } : defaultTemplates[kind][channel]),
        isDefault: !found,
      };
    }),
  );
  return {
    settings: await loadSettings(deps.db, structureId),
    templates,
    longestSite: await longestSite(deps.db, structureId),
  };
}

export async function saveNotificationSettings(
  deps: Deps,
  ctx: RequestContext,
  structureId: string,
  settings: NotificationSettings,
): Promise<void> {
  assertManagesNotifications(ctx.actor, structureId);
  await deps.db.transaction(async (tx) => {
    const values = { ...settings, updatedAt: ctx.clock.now() };
    await tx
      .insert(notificationSettings)
      .values({ structureId, ...values })
      .onConflictDoUpdate({ target: notificationSettings.structureId, set: values });
    await journalFor(tx, ctx, {
      action: "notification.settings_changed",
      targetType: "structure",
      targetId: structureId,
      structureId,
    });
  });
}

/**
 * Saves a template after checking it: only whitelisted placeholders, a subject for emails, and an
 * SMS that fits in two segments with the structure's longest site and the stop link.
 */
export async function saveTemplate(
  deps: Deps,
  ctx: RequestContext,
  input: {
    structureId: string;
    kind: NotificationKind;
    channel: NotificationChannel;
    subject: string;
    body: string;
  },
): Promise<TemplateView> {
  assertManagesNotifications(ctx.actor, input.structureId);
  const issues: { path: string; message: string }[] = [];
  for (const [field, text] of [
    ["subject", input.subject],
    ["body", input.body],
  ] as const) {
    const unknown = unknownPlaceholders(text);
    if (unknown.length > 0)
      issues.push({
        path: `body.${field}`,
        message: `Variable non autorisée : ${frenchList(unknown.map((u) => `{${u}}`))}.`,
      });
  }
  if (input.channel === "email" && !input.subject)
    issues.push({ path: "body.subject", message: "Un courriel doit avoir un objet." });
  if (issues.length === 0 && input.channel === "sms") {
    const values = { ...samplePlaceholderValues, ...(await longestSite(deps.db, input.structureId)) };
    const size = smsSize(renderSms(input.body, values, sampleStopUrl));
    if (size.segments > MAX_SMS_SEGMENTS)
      issues.push({
        path: "body.body",
        message: `SMS trop long : ${size.segments} SMS une fois complété (${size.encoding}), ${MAX_SMS_SEGMENTS} au plus.`,
      });
  }
  if (issues.length > 0) throw errors.request.invalid(issues);
  const subject = input.channel === "sms" ? "" : input.subject;
  return deps.db.transaction(async (tx) => {
    const values = { subject, body: input.body, updatedAt: ctx.clock.now(), updatedBy: ctx.actor.userId };
    await tx
      .insert(notificationTemplate)
      .values({ structureId: input.structureId, kind: input.kind, channel: input.channel, ...values })
      .onConflictDoUpdate({
        target: [notificationTemplate.structureId, notificationTemplate.kind, notificationTemplate.channel],
        set: values,
      });
    await journalFor(tx, ctx, {
      action: "notification.template_changed",
      targetType: "notification_template",
      targetId: `${input.kind}/${input.channel}`,
      structureId: input.structureId,
    });
    return { kind: input.kind, channel: input.channel, subject, body: input.body, isDefault: false };
  });
}
