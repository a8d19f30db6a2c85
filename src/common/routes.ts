import { accompanimentRoutes } from "./accompaniment/accompaniment.routes";
import { alertsRoutes } from "./accompaniment/alerts";
import { actionsRoutes } from "./actions/actions.routes";
import { agendaRoutes } from "./agenda/agenda.routes";
import { auditRoutes } from "./audit/audit.routes";
import { authRoutes } from "./auth/auth.routes";
import { consentRoutes } from "./consent/consent.routes";
import type { RouteContract } from "./contract";
import { conventionsRoutes } from "./conventions/conventions.routes";
import { detentionRoutes } from "./detention/detention.routes";
import { directoryRoutes } from "./directory/directory.routes";
import { documentsRoutes } from "./documents/documents.routes";
import { fundingsRoutes } from "./fundings/fundings.routes";
import { handoverRoutes } from "./handover/handover.routes";
import { homeRoutes } from "./home/home.routes";
import { importsRoutes } from "./imports/imports.routes";
import { newsletterRoutes } from "./newsletter/newsletter.routes";
import { notificationsRoutes } from "./notifications/notifications.routes";
import { opsRoutes } from "./ops/ops.routes";
import { orientationsRoutes } from "./orientations/orientations.routes";
import { peopleRoutes } from "./people/people.routes";
import { reportingRoutes } from "./reporting/reporting.routes";
import { retentionRoutes } from "./retention/retention.routes";
import { structuresRoutes } from "./structures/structures.routes";

export {
  accompanimentRoutes,
  actionsRoutes,
  agendaRoutes,
  auditRoutes,
  authRoutes,
  conventionsRoutes,
  detentionRoutes,
  directoryRoutes,
  documentsRoutes,
  fundingsRoutes,
  handoverRoutes,
  homeRoutes,
  importsRoutes,
  newsletterRoutes,
  notificationsRoutes,
  opsRoutes,
  orientationsRoutes,
  peopleRoutes,
  retentionRoutes,
  structuresRoutes,
};

/** Every route of the API, keyed "context.name": the authorization matrix iterates over it. */
export const allRoutes: Record<string, RouteContract> = Object.fromEntries(
  Object.entries({
    auth: authRoutes,
    people: peopleRoutes,
    audit: auditRoutes,
    structures: structuresRoutes,
    agenda: agendaRoutes,
    notifications: notificationsRoutes,
    accompaniment: accompanimentRoutes,
    alerts: alertsRoutes,
    consent: consentRoutes,
    orientations: orientationsRoutes,
    reporting: reportingRoutes,
    home: homeRoutes,
    ops: opsRoutes,
    retention: retentionRoutes,
    imports: importsRoutes,
    handover: handoverRoutes,
    detention: detentionRoutes,
    documents: documentsRoutes,
    directory: directoryRoutes,
    conventions: conventionsRoutes,
    fundings: fundingsRoutes,
    actions: actionsRoutes,
    newsletter: newsletterRoutes,
  }).flatMap(([context, routes]) =>
    Object.entries(routes).map(([name, route]) => [`${context}.${name}`, route]),
  ),
);
