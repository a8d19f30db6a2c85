/**
 * `npm run setup -- <file.json>` (ADR 0037): the first structure of a production database — its
 * services, sites, first direction account and optionally a platform administrator — and the
 * national catalogue when missing, in one transaction. Accounts are invitations activated through
 * the same one-time link as an agent added by the direction; the links are returned to be printed.
 */
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { email, optionalPhone, optionalText, requiredText, wholeNumber } from "../../../common/fields";
import { type Role, serviceKinds, siteKinds } from "../../../common/roles";
import { DEPARTEMENT_CODE } from "../../../common/structures/structures.schema";
import { journal } from "../../core/audit";
import type { Clock } from "../../core/clock";
import type { Db } from "../../db/createDb";
import { service, site, structure, user } from "../../db/schema";
import { ensureCatalogue } from "../../db/seed/catalogue";
import { CONTROL_CHARACTER_MESSAGE, controlCharacterPaths } from "../../http/controlCharacters";
import { ACTIVATION_LINK_PLACEHOLDER, unknownActivation, withOneTimeLink } from "../identity/accountNotices";
import { hashPassword } from "../identity/passwords";
import { normalizeEmail } from "../identity/rules";
import { grantRoles } from "./CreateUser";
import { labelHolder, lockLabel } from "./queries";

const account = z.strictObject({
  email,
  nom: requiredText(200, "obligatoire"),
});

export const setupFileSchema = z
  .strictObject({
    structure: z.strictObject({
      nom: requiredText(200, "obligatoire"),
      numeroLabel: requiredText(50, "obligatoire"),
      departement: z.string().trim().regex(DEPARTEMENT_CODE, "numéro de département attendu (77, 2A, 971…)"),
      coPorteurs: z.array(requiredText(200, "obligatoire")).min(1, "au moins un co-porteur"),
      delaiMinimumHeures: wholeNumber({
        notWhole: "nombre entier attendu",
        min: 0,
        tooSmall: "0 ou plus",
        max: 168,
        tooBig: "168 au plus",
      }).optional(),
    }),
    services: z
      .array(
        z.strictObject({
          nom: requiredText(200, "obligatoire"),
          type: z.enum(serviceKinds, { error: `une valeur parmi : ${serviceKinds.join(", ")}` }),
        }),
      )
      .min(1, "au moins un service (le SPIP, l'association)"),
    sites: z
      .array(
        z.strictObject({
          nom: requiredText(200, "obligatoire"),
          type: z.enum(siteKinds, { error: `une valeur parmi : ${siteKinds.join(", ")}` }),
          adresse: requiredText(500, "obligatoire"),
          accesInstructions: optionalText(1000).optional(),
          telephone: optionalPhone.optional(),
          capacite: wholeNumber({
            notWhole: "nombre entier attendu",
            min: 1,
            tooSmall: "nombre positif attendu",
          }).optional(),
        }),
      )
      .min(1, "au moins un lieu"),
    direction: account.extend({
      /** The `type` of the direction's service (its employer); the first service when absent. */
      service: z.enum(serviceKinds, { error: `une valeur parmi : ${serviceKinds.join(", ")}` }).optional(),
    }),
    administrateur: account.optional(),
  })
  .superRefine((file, ctx) => {
    const kinds = new Set(file.services.map((s) => s.type));
    file.services.forEach((s, i) => {
      if (file.services.findIndex((o) => o.type === s.type) !== i)
        ctx.addIssue({
          code: "custom",
          path: ["services", i, "type"],
          message: "un seul service de ce type",
        });
    });
    if (file.direction.service && !kinds.has(file.direction.service))
      ctx.addIssue({
        code: "custom",
        path: ["direction", "service"],
        message: "aucun service de ce type dans « services »",
      });
    file.sites.forEach((s, i) => {
      if (file.sites.findIndex((o) => o.nom.toLowerCase() === s.nom.toLowerCase()) !== i)
        ctx.addIssue({ code: "custom", path: ["sites", i, "nom"], message: "deux lieux portent ce nom" });
      if (s.capacite !== undefined && s.type !== "sas")
        ctx.addIssue({ code: "custom", path: ["sites", i, "capacite"], message: "seulement pour une SAS" });
    });
    if (
      file.administrateur &&
      normalizeEmail(file.administrateur.email) === normalizeEmail(file.direction.email)
    )
      ctx.addIssue({
        code: "custom",
        path: ["administrateur", "email"],
        message: "doit différer de celle de la direction",
      });
  });
export type SetupFile = z.infer<typeof setupFileSchema>;

/** A refusal, in French, for the operator: nothing was written. */
export class SetupError extends Error {
  constructor(readonly lines: string[]) {
    super(lines.join("\n"));
    this.name = "SetupError";
  }
}

/** `sites[1].nom : obligatoire` — the path as written in the file, then what is wrong. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    const where = issue.path.reduce<string>(
      (text, key) =>
        typeof key === "number" ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key),
      "",
    );
    return `${where || "(fichier)"} : ${messageOf(issue)}`;
  });
}

function messageOf(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_type")
    return issue.input === undefined ? "obligatoire" : `type incorrect (${issue.expected} attendu)`;
  if (issue.code === "unrecognized_keys")
    return `clé${issue.keys.length > 1 ? "s" : ""} inconnue${issue.keys.length > 1 ? "s" : ""} : ${issue.keys.join(", ")}`;
  return issue.message;
}

/** The file's text → a valid description, or a SetupError listing every problem. */
export function parseSetupFile(text: string): SetupFile {
  let raw: unknown;
  try {
    // A file saved "UTF-8 with BOM" (some Windows editors) reads as the same JSON.
    raw = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    throw new SetupError([`Le fichier n'est pas du JSON valide : ${(error as Error).message}`]);
  }
  // As on every route of the API: a control character hides text, and NUL makes PostgreSQL fail.
  const controls = controlCharacterPaths(raw, "").map((where) => ({
    code: "custom" as const,
    path: where
      .split(".")
      .slice(1)
      .map((key) => (/^\d+$/.test(key) ? Number(key) : key)),
    message: CONTROL_CHARACTER_MESSAGE,
    input: undefined,
  }));
  const parsed = setupFileSchema.safeParse(raw);
  if (!parsed.success || controls.length > 0)
    throw new SetupError([
      "Le fichier contient des erreurs, rien n'a été écrit :",
      ...describeIssues([...controls, ...(parsed.success ? [] : parsed.error.issues)]),
    ]);
  return parsed.data;
}

export interface SetupAccount {
  email: string;
  displayName: string;
  roles: Role[];
  /** The one-time link to choose a password; null for an account already activated (it signs in as before). */
  activationLink: string | null;
}

export interface SetupResult {
  structureId: string;
  sites: { id: string; name: string }[];
  catalogue: { partnersAdded: number; demarcheTypesAdded: number };
  accounts: SetupAccount[];
}

/**
 * Creates everything the file describes, in one transaction, journaled with no actor (the
 * operator's command). Refuses (SetupError, nothing written) a label number already used.
 */
export async function setupStructure(
  db: Db,
  file: SetupFile,
  options: { publicUrl: string; clock: Clock },
): Promise<SetupResult> {
  const now = options.clock.now();
  const ctx = { requestId: `setup-${now.toISOString()}`, ip: "", clock: options.clock, actorUserId: null };
  // Hashed outside the transaction: nobody knows this password; the link chooses the real one.
  const unusableHash = await hashPassword(randomBytes(24).toString("base64url"));
  return db.transaction(async (tx) => {
    const label = file.structure.numeroLabel;
    await lockLabel(tx, label);
    const taken = await labelHolder(tx, label);
    if (taken)
      throw new SetupError([
        `Une structure porte déjà le numéro de label ${label} (« ${taken.name} ») : rien n'a été écrit.`,
        "Pour ajouter des agents ou des lieux, connectez-vous à Passerelle avec le compte de la direction.",
      ]);

    const { added } = await ensureCatalogue(tx);
    for (const p of added.partners)
      await journal(tx, ctx, { action: "catalogue.partner_added", targetType: "partner", targetId: p.id });
    for (const d of added.demarcheTypes)
      await journal(tx, ctx, {
        action: "catalogue.demarche_added",
        targetType: "demarche_type",
        targetId: d.id,
      });

    const [created] = await tx
      .insert(structure)
      .values({
        name: file.structure.nom,
        labelNumber: label,
        departement: file.structure.departement,
        coHolders: file.structure.coPorteurs,
        ...(file.structure.delaiMinimumHeures !== undefined
          ? { minLeadHours: file.structure.delaiMinimumHeures }
          : {}),
      })
      .returning({ id: structure.id });
    if (!created) throw new Error("structure not inserted");
    const structureId = created.id;
    const services = await tx
      .insert(service)
      .values(file.services.map((s) => ({ structureId, name: s.nom, kind: s.type })))
      .returning({ id: service.id, kind: service.kind });
    await journal(tx, ctx, {
      action: "structure.created",
      targetType: "structure",
      targetId: structureId,
      structureId,
      reason: `label ${label}; services ${file.services.map((s) => s.type).join(",")}`,
    });
    const sites = await tx
      .insert(site)
      .values(
        file.sites.map((s) => ({
          structureId,
          name: s.nom,
          kind: s.type,
          address: s.adresse,
          accessInstructions: s.accesInstructions ?? "",
          phone: s.telephone ?? "",
          capacity: s.capacite ?? null,
        })),
      )
      .returning({ id: site.id, name: site.name });
    for (const s of sites)
      await journal(tx, ctx, { action: "site.created", targetType: "site", targetId: s.id, structureId });

    const directionKind = file.direction.service ?? file.services[0]?.type;
    const wanted: { email: string; displayName: string; roles: Role[]; serviceId: string | null }[] = [
      {
        email: normalizeEmail(file.direction.email),
        displayName: file.direction.nom,
        roles: ["service_manager"],
        serviceId: services.find((s) => s.kind === directionKind)?.id ?? null,
      },
      ...(file.administrateur
        ? [
            {
              email: normalizeEmail(file.administrateur.email),
              displayName: file.administrateur.nom,
              roles: ["admin"] as Role[],
              serviceId: null,
            },
          ]
        : []),
    ];
    const accounts: SetupAccount[] = [];
    for (const a of wanted) {
      const [existing] = await tx.select({ id: user.id }).from(user).where(eq(user.email, a.email));
      let userId = existing?.id;
      if (!userId) {
        const [inserted] = await tx
          .insert(user)
          .values({
            email: a.email,
            displayName: a.displayName,
            passwordHash: unusableHash,
            ...unknownActivation(now),
          })
          .returning({ id: user.id });
        userId = inserted?.id;
      }
      if (!userId) throw new Error("user not inserted");
      await grantRoles(tx, {
        userId,
        structureId,
        roles: a.roles,
        serviceId: a.serviceId,
        invitedName: a.displayName,
        now,
      });
      // The link the activation e-mail would carry, minted the same way (a new token, only its hash
      // kept; skipped for an account already activated, which signs in with its password).
      const minted = await withOneTimeLink(tx, {
        userId,
        body: ACTIVATION_LINK_PLACEHOLDER,
        publicUrl: options.publicUrl.replace(/\/$/, ""),
        now,
      });
      await journal(tx, ctx, {
        action: "membership.granted",
        targetType: "user",
        targetId: userId,
        structureId,
        reason: a.roles.join(","),
      });
      accounts.push({
        email: a.email,
        displayName: a.displayName,
        roles: a.roles,
        activationLink: "body" in minted ? minted.body : null,
      });
    }
    return {
      structureId,
      sites,
      catalogue: { partnersAdded: added.partners.length, demarcheTypesAdded: added.demarcheTypes.length },
      accounts,
    };
  });
}

/**
 * `npm run setup -- --nouveau-lien <adresse>`: a new one-time activation link for an account never
 * activated (the first link lost or expired), minted as the activation e-mail's; the previous link
 * stops working. Journaled with no actor. Refuses (SetupError, nothing written) an unknown address,
 * an account already activated or a disabled one.
 */
export async function reissueActivationLink(
  db: Db,
  address: string,
  options: { publicUrl: string; clock: Clock },
): Promise<{ email: string; displayName: string; activationLink: string }> {
  const now = options.clock.now();
  const ctx = { requestId: `setup-${now.toISOString()}`, ip: "", clock: options.clock, actorUserId: null };
  const email = normalizeEmail(address);
  return db.transaction(async (tx) => {
    const [found] = await tx
      .select({
        id: user.id,
        displayName: user.displayName,
        pending: user.activationTokenHash,
        disabledAt: user.disabledAt,
      })
      .from(user)
      .where(eq(user.email, email))
      .for("update");
    if (!found) throw new SetupError([`Aucun compte n'a l'adresse ${email} : aucun lien créé.`]);
    if (found.pending === null)
      throw new SetupError([
        `Le compte ${email} est déjà activé : aucun lien créé.`,
        "Son titulaire se connecte avec son mot de passe ; en cas d'oubli, « Mot de passe oublié ? » sur la page de connexion.",
      ]);
    if (found.disabledAt !== null)
      throw new SetupError([
        `Le compte ${email} est désactivé : aucun lien créé.`,
        "Un administrateur doit d'abord le réactiver depuis Passerelle.",
      ]);
    const minted = await withOneTimeLink(tx, {
      userId: found.id,
      body: ACTIVATION_LINK_PLACEHOLDER,
      publicUrl: options.publicUrl.replace(/\/$/, ""),
      now,
    });
    if (!("body" in minted)) throw new SetupError([minted.skip]);
    await journal(tx, ctx, {
      action: "account.activation_link_reissued",
      targetType: "user",
      targetId: found.id,
    });
    return { email, displayName: found.displayName, activationLink: minted.body };
  });
}
