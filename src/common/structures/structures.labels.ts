/** The structure's details, as the form and the journal name them. */
export const detailsLabels = {
  name: "Nom de la structure",
  labelNumber: "Numéro de label France services",
  departement: "Département",
  coHolders: "Co-porteurs",
  minLeadHours: "Délai minimum de réservation (heures)",
} as const;

/** A site's fields, as the form and the journal name them. */
export const siteLabels = {
  name: "Nom du lieu",
  kind: "Type de lieu",
  address: "Adresse",
  accessInstructions: "Informations d'accès",
  phone: "Téléphone",
  capacity: "Nombre de places (SAS)",
} as const;
