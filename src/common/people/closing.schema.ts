import { z } from "zod";
import { demarcheStatusSchema } from "../accompaniment/accompaniment.schema";
import { uuid } from "../contract";
import { isoDate } from "../dates";
import { orientationStatusSchema } from "../orientations/orientations.schema";

/** A person's sex as recorded; "" is "non renseigné". */
export const sexValues = ["", "female", "male"] as const;
export const sexSchema = z.enum(sexValues);
export type Sex = z.infer<typeof sexSchema>;
export const sexLabels: Record<Sex, string> = { "": "Non renseigné", female: "Femme", male: "Homme" };

/** Why a file is closed. */
export const closingReasons = ["end_of_measure", "transfer", "deceased", "other"] as const;
export const closingReasonSchema = z.enum(closingReasons);
export type ClosingReason = z.infer<typeof closingReasonSchema>;
export const closingReasonLabels: Record<ClosingReason, string> = {
  end_of_measure: "Fin de mesure",
  transfer: "Transfert vers une autre structure",
  deceased: "Décès",
  other: "Autre motif",
};

/** A closed file: when, the day given, why. */
export const closureSchema = z.object({
  closedAt: z.string(),
  closedOn: isoDate,
  reason: closingReasonSchema,
  note: z.string(),
});
export type Closure = z.infer<typeof closureSchema>;

/** What is decided, at closing, for an open démarche or orientation. */
export const closingDecisions = ["keep", "abandon", "cancel"] as const;
export const closingDecisionSchema = z.enum(closingDecisions);
export type ClosingDecision = z.infer<typeof closingDecisionSchema>;

export const closeBodySchema = z
  .strictObject({
    reason: closingReasonSchema,
    note: z.string().trim().max(300, "300 caractères au plus.").default(""),
    closedOn: isoDate,
    /** One decision per open item; an item left out is kept open. */
    demarches: z
      .array(z.strictObject({ id: uuid, decision: z.enum(["keep", "abandon"]) }))
      .max(300)
      .default([]),
    orientations: z
      .array(z.strictObject({ id: uuid, decision: z.enum(["keep", "cancel"]) }))
      .max(300)
      .default([]),
  })
  .refine((body) => body.reason !== "other" || body.note.length > 0, {
    path: ["note"],
    message: "Précisez le motif de la clôture.",
  });
export type CloseBody = z.infer<typeof closeBodySchema>;

export const reopenBodySchema = z.strictObject({
  reason: z
    .string()
    .trim()
    .min(3, "Indiquez pourquoi le dossier est rouvert.")
    .max(300, "300 caractères au plus."),
});
export type ReopenBody = z.infer<typeof reopenBodySchema>;

/** What closing a file would do: shown in the confirmation dialog before anything is written. */
export const closingPreviewSchema = z.object({
  convocations: z.array(
    z.object({
      id: z.string(),
      startsAt: z.string(),
      siteName: z.string(),
      /**
       * How the cancellation reaches the person: "message" (the SMS or e-mail chosen, ADR 0028),
       * "establishment" (held on that day: nothing is sent, the agent tells them through the
       * establishment), "agent" (no SMS nor e-mail was chosen: the agent tells them).
       */
      notice: z.enum(["message", "establishment", "agent"]),
    }),
  ),
  pendingMessages: z.number().int(),
  demarches: z.array(z.object({ id: z.string(), label: z.string(), status: demarcheStatusSchema })),
  orientations: z.array(
    z.object({
      id: z.string(),
      label: z.string(),
      status: orientationStatusSchema,
      /** Only a draft or sent orientation can be cancelled; an accepted one stays with the partner. */
      cancellable: z.boolean(),
    }),
  ),
});
export type ClosingPreview = z.infer<typeof closingPreviewSchema>;

export const referentBodySchema = z.strictObject({ userId: uuid });
export const referentCandidatesSchema = z.object({
  candidates: z.array(z.object({ userId: z.string(), displayName: z.string() })),
});
