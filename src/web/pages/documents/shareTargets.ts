/** An orientation in progress a document can be shared with, and whether the person consents to it. */
export interface ShareTarget {
  orientationId: string;
  label: string;
  consent: boolean;
}

/**
 * The orientations of the share form's list, as its groups: one unnamed group when the person
 * consents to all of them; otherwise those under a consent, then those without, the mention said
 * once in the group's label rather than after each option (as the orientation form does).
 */
export function shareTargetGroups(
  targets: readonly ShareTarget[],
): { label: string | null; targets: ShareTarget[] }[] {
  const consented = targets.filter((t) => t.consent);
  const without = targets.filter((t) => !t.consent);
  if (without.length === 0) return [{ label: null, targets: consented }];
  return [
    ...(consented.length > 0 ? [{ label: "Avec le consentement de la personne", targets: consented }] : []),
    { label: "Sans consentement de la personne", targets: without },
  ];
}
