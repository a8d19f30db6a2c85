declare module "@socialgouv/jours-feries" {
  /** French public holidays of a year, by name, as UTC midnights; `alsace` adds Alsace-Moselle's two. */
  export default function joursFeries(year: number, options?: { alsace?: boolean }): Record<string, Date>;
}
