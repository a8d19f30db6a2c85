import type { FastifyInstance } from "fastify";
import { errors } from "../../../common/errors";
import { notificationsRoutes } from "../../../common/notifications/notifications.routes";
import { isDatabaseUnavailable } from "../../core/dbErrors";
import type { Deps } from "../../core/deps";
import {
  getNotificationConfig,
  saveNotificationSettings,
  saveTemplate,
} from "../../domains/notifications/use-cases/ConfigureNotifications";
import { listNotifications } from "../../domains/notifications/use-cases/ListNotifications";
import { recordSmsReceipt, stopSms } from "../../domains/notifications/use-cases/SmsFeedback";
import { mount } from "../mount";

/** When a receipt refused while the database is unavailable should come back. */
const RECEIPT_RETRY_AFTER_SECONDS = 30;

export function notificationsRouter(app: FastifyInstance, deps: Deps): void {
  mount(app, deps, notificationsRoutes.log, ({ params, query, ctx }) =>
    listNotifications(deps, ctx, params.structureId, query),
  );
  mount(app, deps, notificationsRoutes.config, ({ params, ctx }) =>
    getNotificationConfig(deps, ctx, params.structureId),
  );
  mount(app, deps, notificationsRoutes.saveSettings, async ({ params, body, ctx }) => {
    await saveNotificationSettings(deps, ctx, params.structureId, body);
    return { ok: true as const };
  });
  mount(app, deps, notificationsRoutes.saveTemplate, ({ params, body, ctx }) =>
    saveTemplate(deps, ctx, { ...params, ...body }),
  );
  mount(app, deps, notificationsRoutes.smsStop, async ({ body, meta }) => {
    await stopSms(deps, meta, body.token);
    return { ok: true as const };
  });
  mount(app, deps, notificationsRoutes.smsReceipt, async ({ params, query, body }) => {
    try {
      await recordSmsReceipt(deps, params.token, body, query.notification);
    } catch (error) {
      // Brevo retries a receipt answered 429 only (ADR 0004): a 503 would lose it.
      if (isDatabaseUnavailable(error)) throw errors.notification.receiptLater(RECEIPT_RETRY_AFTER_SECONDS);
      throw error;
    }
    return { ok: true as const };
  });
}
