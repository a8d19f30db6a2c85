import { z } from "zod";
import { defineRoute } from "../contract";
import { staffAnd } from "../roles";

const alertItem = z.object({
  personId: z.string(),
  personName: z.string(),
  /** What the alert is about, in French. */
  detail: z.string(),
  /** The date that makes it urgent (end of measure, due date, sending, last visit). */
  date: z.string().nullable(),
});
export type AlertItem = z.infer<typeof alertItem>;

export const alertsSchema = z.object({
  measureEnding: z.array(alertItem),
  /** Open files whose every measure has ended: to close, or to record the new measure. */
  measureEnded: z.array(alertItem),
  overdueDemarches: z.array(alertItem),
  pendingOrientations: z.array(alertItem),
  notSeen: z.array(alertItem),
  /** Milieu fermé (ADR 0028): releases within the plan delay with plan items still open. */
  releaseNear: z.array(alertItem),
  /** The agent's own access authorisations to a prison or SAS lapsing soon (or lapsed). */
  accessExpiring: z.array(z.object({ siteName: z.string(), validUntil: z.string() })),
  settings: z.object({ measureAlertDays: z.number().int(), notSeenWeeks: z.number().int() }),
});
export type Alerts = z.infer<typeof alertsSchema>;

export const alertsRoutes = {
  mine: defineRoute({
    onlyRoles: staffAnd(),
    method: "GET",
    path: "/api/alerts",
    summary:
      "Les alertes de l'agent : fins de mesure (proches ou passées, dossier ouvert), démarches en retard, orientations sans réponse, personnes pas vues",
    response: alertsSchema,
    nominative: {
      peopleIn: (answer) =>
        [
          answer.measureEnding,
          answer.measureEnded,
          answer.overdueDemarches,
          answer.pendingOrientations,
          answer.notSeen,
          answer.releaseNear,
        ].flatMap((items) => items.map((item) => item.personId)),
    },
  }),
} as const;
