import type { OrientationTarget } from "../../../common/orientations/orientations.schema";

/**
 * The « Vers » field's options, short enough to be read whole in the closed select on a phone
 * (390 px: about 32 characters), each with its detail shown as the field's hint once chosen. The
 * long names (`orientationTargetLabels`) stay those of the lists and alerts.
 */
export const targetOptions: Record<OrientationTarget, { label: string; hint: string }> = {
  mediation: {
    label: "Médiation de l'association",
    hint: "Le service de médiation de l'association, pour un dossier complexe.",
  },
  partner_back_office: {
    label: "Back-office d'un partenaire",
    hint: "Le correspondant back-office d'un partenaire, sollicité pour un dossier.",
  },
  iae_employer: {
    label: "Employeur IAE",
    hint: "Un employeur de l'insertion par l'activité économique (IAE).",
  },
  mission_locale: { label: "Mission locale", hint: "Une mission locale de l'annuaire." },
  point_justice: { label: "Point justice", hint: "Un point justice de l'annuaire." },
  other: { label: "Autre structure de l'annuaire", hint: "Une autre structure de l'annuaire." },
};

/** The most characters an option may have to show whole in the select at 390 px. */
export const PHONE_OPTION_CHARS = 32;
