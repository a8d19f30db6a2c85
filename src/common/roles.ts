import { z } from "zod";

/** Roles of DESIGN §2. A user holds roles through memberships, one structure at a time. */
export const roles = [
  "probation_officer",
  "counselor",
  "service_manager",
  "steering",
  "partner_referent",
  "mediator",
  "admin",
] as const;
export const roleSchema = z.enum(roles);
export type Role = z.infer<typeof roleSchema>;

export const roleLabels: Record<Role, string> = {
  probation_officer: "CPIP (conseiller pénitentiaire d'insertion et de probation)",
  counselor: "Conseiller France services",
  service_manager: "Direction de service",
  steering: "Comité de pilotage",
  partner_referent: "Référent partenaire",
  mediator: "Médiateur de l'association (réorientations)",
  admin: "Administrateur de la plateforme",
};

/**
 * The structure's own staff: the roles that work on people's files and the structure (CPIP,
 * counselor, direction). A route for them and some of the other roles says so with `staffAnd(...)`
 * (`RouteContract.onlyRoles`): a steering, partner, mediator or admin account it is not for is refused
 * (403) before its input is read, whatever it sent. Which staff member may act stays the handler's
 * decision, per structure and person.
 */
export const staffRoles = [
  "probation_officer",
  "counselor",
  "service_manager",
] as const satisfies readonly Role[];
export const staffAnd = (
  ...others: Exclude<Role, (typeof staffRoles)[number]>[]
): { roles: readonly Role[] } => ({
  roles: [...staffRoles, ...others],
});

/** Roles that must use a second factor (TOTP). */
export const rolesRequiringTotp: readonly Role[] = ["service_manager", "admin"];

export const siteKinds = ["spip_office", "france_services", "prison", "sas", "mobile"] as const;
export const siteKindSchema = z.enum(siteKinds, { message: "Choisissez le type de lieu." });
export type SiteKind = z.infer<typeof siteKindSchema>;
export const siteKindLabels: Record<SiteKind, string> = {
  spip_office: "Antenne SPIP",
  france_services: "France services",
  prison: "Établissement pénitentiaire",
  sas: "Structure d'accompagnement vers la sortie (SAS)",
  mobile: "Permanence mobile",
};

export const serviceKinds = ["spip", "association"] as const;
export const serviceKindSchema = z.enum(serviceKinds);
export type ServiceKind = z.infer<typeof serviceKindSchema>;
export const serviceKindLabels: Record<ServiceKind, string> = {
  spip: "le SPIP (CPIP référent et son service)",
  association: "l'association (conseillers France services)",
};

export const personStatuses = [
  "milieu_ouvert",
  "semi_liberte",
  "probation",
  "sortant_detention",
  "detenu",
] as const;
export const personStatusSchema = z.enum(personStatuses);
export type PersonStatus = z.infer<typeof personStatusSchema>;
export const personStatusLabels: Record<PersonStatus, string> = {
  milieu_ouvert: "Milieu ouvert",
  semi_liberte: "Semi-liberté",
  probation: "Probation",
  sortant_detention: "Sortant de détention",
  detenu: "En détention",
};

export const measureTypes = [
  "sursis_probatoire",
  "liberation_conditionnelle",
  "semi_liberte",
  "detention_domicile_surveillance_electronique",
  "travail_interet_general",
  "suivi_socio_judiciaire",
  "contrainte_penale",
  "detention",
  "controle_judiciaire",
] as const;
export const measureTypeSchema = z.enum(measureTypes);
export type MeasureType = z.infer<typeof measureTypeSchema>;
export const measureTypeLabels: Record<MeasureType, string> = {
  sursis_probatoire: "Sursis probatoire",
  liberation_conditionnelle: "Libération conditionnelle",
  semi_liberte: "Semi-liberté",
  detention_domicile_surveillance_electronique: "Détention à domicile sous surveillance électronique",
  travail_interet_general: "Travail d'intérêt général",
  suivi_socio_judiciaire: "Suivi socio-judiciaire",
  contrainte_penale: "Contrainte pénale (supprimée en 2020)",
  detention: "Détention",
  controle_judiciaire: "Contrôle judiciaire",
};
/**
 * Measures the law abolished: still shown on the records that carry them, never offered for a new
 * one. The contrainte pénale was replaced by the sursis probatoire on 24 March 2020 (loi du 23 mars
 * 2019).
 */
export const retiredMeasureTypes: ReadonlySet<MeasureType> = new Set<MeasureType>(["contrainte_penale"]);
/** The measures a new record may carry. */
export const currentMeasureTypes: readonly MeasureType[] = measureTypes.filter(
  (m) => !retiredMeasureTypes.has(m),
);

export const demarcheCategories = [
  "papiers-citoyennete",
  "famille-scolarite",
  "social-sante",
  "travail-formation",
  "logement",
  "transports",
  "argent-impots-consommation",
  "justice",
  "etranger",
  "loisirs",
] as const;
export const demarcheCategorySchema = z.enum(demarcheCategories);
export type DemarcheCategory = z.infer<typeof demarcheCategorySchema>;
/** The Aidants Connect categories of démarches. */
export const demarcheCategoryLabels: Record<DemarcheCategory, string> = {
  "papiers-citoyennete": "Papiers – Citoyenneté",
  "famille-scolarite": "Famille – Scolarité",
  "social-sante": "Social – Santé",
  "travail-formation": "Travail – Formation",
  logement: "Logement",
  transports: "Transports",
  "argent-impots-consommation": "Argent – Impôts – Consommation",
  justice: "Justice",
  etranger: "Étranger",
  loisirs: "Loisirs",
};

export const partnerKinds = [
  "national_operator",
  "local_correspondent",
  "association",
  "iae_employer",
] as const;
export const partnerKindSchema = z.enum(partnerKinds);
export type PartnerKind = z.infer<typeof partnerKindSchema>;
