import { z } from "zod";
import { queryWholeNumber } from "../fields";
import { roleSchema } from "../roles";

/** How many accounts a page of the administrator's search shows. */
export const ACCOUNTS_PAGE_SIZE = 25;

/** The administrator's search of accounts, every structure: a name or an e-mail (part of either). */
export const accountsQuerySchema = z.strictObject({
  search: z.string().trim().max(100, "100 caractères au plus.").optional(),
  page: queryWholeNumber({ notWhole: "Page : un nombre entier.", min: 1, max: 10_000 }).default(1),
});
export type AccountsQuery = z.infer<typeof accountsQuerySchema>;

/** An account as the administrator sees it: who, where and with which roles; never a person's data. */
export const accountSchema = z.object({
  id: z.string(),
  displayName: z.string(),
  email: z.string(),
  /** Disabled by an administrator: no sign-in, in any structure. */
  disabled: z.boolean(),
  /** Never signed in: the account waits for its activation. */
  activationPending: z.boolean(),
  /** The latest sign-in the journal still holds (it keeps 12 months by default); null: none. */
  lastLoginAt: z.string().nullable(),
  /** One line per structure: the current roles there, or the last ones when every role ended. */
  memberships: z.array(
    z.object({ structureName: z.string(), roles: z.array(roleSchema), active: z.boolean() }),
  ),
  /** The administrator's own account is not disabled from here (nor any other way). */
  permissions: z.object({ disable: z.boolean(), enable: z.boolean() }),
});
export type Account = z.infer<typeof accountSchema>;

export const accountsSchema = z.object({
  accounts: z.array(accountSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type Accounts = z.infer<typeof accountsSchema>;
