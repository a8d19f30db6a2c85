import { z } from "zod";
import { uuid } from "../contract";
import { isoDate } from "../dates";
import { whenAbsent, wholeNumber } from "../fields";

/** Blocks an issue is made of, in order (ADR 0032). */
export const blockTypes = ["text", "upcoming_actions", "conventions", "key_figures"] as const;
export type BlockType = (typeof blockTypes)[number];
export const blockTypeLabels: Record<BlockType, string> = {
  text: "Texte libre",
  upcoming_actions: "Actions collectives à venir",
  conventions: "Conventions signées ou renouvelées",
  key_figures: "Chiffres clés du trimestre",
};

const quarterPattern = /^\d{4}-Q[1-4]$/;

export const blockSchema = z.discriminatedUnion("type", [
  z
    .object({
      type: z.literal("text"),
      markdown: z
        .string(whenAbsent("Écrivez le texte du bloc, ou retirez le bloc."))
        .trim()
        .min(1, "Écrivez le texte du bloc, ou retirez le bloc.")
        .max(20_000, "Le texte d'un bloc est limité à 20 000 caractères."),
    })
    .strict(),
  z
    .object({
      type: z.literal("upcoming_actions"),
      weeks: wholeNumber({
        notNumber: "Indiquez un nombre de semaines.",
        notWhole: "Indiquez un nombre entier de semaines.",
        min: 1,
        tooSmall: "Indiquez entre 1 et 26 semaines.",
        max: 26,
        tooBig: "Indiquez entre 1 et 26 semaines.",
      }),
    })
    .strict(),
  z
    .object({
      type: z.literal("conventions"),
      /** The first day counted; null: since the last issue sent (or the last 3 months for the first). */
      since: isoDate.nullable(),
    })
    .strict(),
  z
    .object({
      type: z.literal("key_figures"),
      quarter: z
        .string()
        .regex(quarterPattern, {
          message: "Choisissez un trimestre (par exemple 2026-Q1 pour le premier trimestre 2026).",
          abort: true,
        })
        .refine(
          (quarter) => isoDate.safeParse(`${quarter.slice(0, 4)}-01-01`).success,
          "Trimestre hors de la plage acceptée (1900 à 2199).",
        ),
    })
    .strict(),
]);
export type Block = z.infer<typeof blockSchema>;

export const issueBodySchema = z
  .object({
    title: z
      .string(whenAbsent("Donnez un titre à la lettre."))
      .trim()
      .min(1, "Donnez un titre à la lettre.")
      .max(200, "Le titre est limité à 200 caractères."),
    blocks: z
      .array(blockSchema, whenAbsent("Ajoutez au moins un bloc à la lettre."))
      .min(1, "Ajoutez au moins un bloc à la lettre.")
      .max(30, "Une lettre compte 30 blocs au plus."),
  })
  .strict();
export type IssueBody = z.infer<typeof issueBodySchema>;
/** Created, a draft takes the id its composer chose, kept until saved (ADR 0036). */
export const newIssueBodySchema = issueBodySchema.safeExtend({
  id: z.string().uuid("Identifiant de lettre invalide.").toLowerCase().optional(),
});
export type NewIssueBody = z.infer<typeof newIssueBodySchema>;

export const issueStatuses = ["draft", "sending", "sent"] as const;
export type IssueStatus = (typeof issueStatuses)[number];
export const issueStatusLabels: Record<IssueStatus, string> = {
  draft: "Brouillon",
  sending: "En cours d'envoi",
  sent: "Envoyée",
};

/** What the deliveries of a sent issue became (from their outbox rows). */
export const deliveryCountsSchema = z.object({
  recipients: z.number().int(),
  /** Accepted by the mail server (sent or delivered). */
  sent: z.number().int(),
  /** Refused by the mail server (a permanent error: a bounce), or given up. */
  failed: z.number().int(),
  /** Not sent yet (waiting for the worker, or retried later). */
  pending: z.number().int(),
  unsubscribed: z.number().int(),
});
export type DeliveryCounts = z.infer<typeof deliveryCountsSchema>;

export const issueSummarySchema = z.object({
  id: z.string(),
  number: z.number().int(),
  title: z.string(),
  status: z.enum(issueStatuses),
  sentAt: z.string().nullable(),
  counts: deliveryCountsSchema.nullable(),
});
export const issueListSchema = z.object({
  issues: z.array(issueSummarySchema),
  /** Contacts of the directory who would receive an issue sent now. */
  subscribers: z.number().int(),
});
export type IssueSummary = z.infer<typeof issueSummarySchema>;

export const issueDetailSchema = issueSummarySchema.extend({
  structureId: z.string(),
  blocks: z.array(blockSchema),
  subscribers: z.number().int(),
});
export type IssueDetail = z.infer<typeof issueDetailSchema>;

/** A block once filled from the data: what the web page and the e-mail show. */
export const resolvedBlockSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("text"), html: z.string() }),
  z.object({
    type: z.literal("upcoming_actions"),
    weeks: z.number().int(),
    actions: z.array(
      z.object({ title: z.string(), kind: z.string(), startsAt: z.string(), place: z.string() }),
    ),
  }),
  z.object({
    type: z.literal("conventions"),
    since: z.string(),
    conventions: z.array(
      z.object({
        title: z.string(),
        parties: z.array(z.string()),
        event: z.enum(["signed", "renewed"]),
        on: z.string(),
      }),
    ),
  }),
  z.object({
    type: z.literal("key_figures"),
    quarter: z.string(),
    figures: z.array(z.object({ label: z.string(), value: z.string() })),
  }),
]);
export type ResolvedBlock = z.infer<typeof resolvedBlockSchema>;

export const issueContentSchema = z.object({
  structureName: z.string(),
  number: z.number().int(),
  title: z.string(),
  blocks: z.array(resolvedBlockSchema),
});
export type IssueContent = z.infer<typeof issueContentSchema>;

export const previewSchema = z.object({
  content: issueContentSchema,
  /** The e-mail's text alternative, as a recipient would read it. */
  text: z.string(),
  subscribers: z.number().int(),
});

export const sendBodySchema = z
  .object({
    /** The recipient count the direction confirmed: a different count now asks to confirm again. */
    recipients: wholeNumber({
      missing: "Confirmez le nombre de destinataires de la lettre avant de l'envoyer.",
      min: 0,
    }),
  })
  .strict();

export const archiveListSchema = z.object({
  issues: z.array(
    z.object({ id: z.string(), number: z.number().int(), title: z.string(), sentAt: z.string() }),
  ),
});
export const archiveIssueSchema = z.object({
  id: z.string(),
  sentAt: z.string(),
  content: issueContentSchema,
});

export const unsubscribeInfoSchema = z.object({
  structureName: z.string(),
  /** The address, partly hidden ("c•••@caf.fr"). */
  email: z.string(),
  alreadyUnsubscribed: z.boolean(),
});
export const unsubscribedSchema = z.object({ alreadyUnsubscribed: z.boolean() });

export const structureParamsSchema = z.object({ structureId: uuid }).strict();
export const issueParamsSchema = z.object({ issueId: uuid }).strict();
/** 32 random bytes, base64url: 43 characters. */
export const tokenParamsSchema = z
  .object({ token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, "Lien de désabonnement invalide.") })
  .strict();

/** "2026-Q1" → "1er trimestre 2026". */
export function quarterLabel(quarter: string): string {
  const [year, q] = quarter.split("-Q");
  return `${q === "1" ? "1er" : `${q}e`} trimestre ${year}`;
}

/** The quarter before the one holding `day` ("2026-06-01" → "2026-Q1"). */
export function previousQuarter(day: string): string {
  const [year, month] = day.split("-").map(Number) as [number, number];
  const q = Math.floor((month - 1) / 3) + 1;
  return q === 1 ? `${year - 1}-Q4` : `${year}-Q${q - 1}`;
}
