import { useEffect } from "react";

export const SITE_NAME = "Passerelle";

/** The text of `<title>`: the page's own name first, then the service. */
export function documentTitle(page: string | null | undefined): string {
  const name = page?.trim();
  return name ? `${name} — ${SITE_NAME}` : SITE_NAME;
}

/**
 * Names the page in the browser tab and in the route announcement. Pass `null` while the name is
 * not known yet (a file still loading): the title is set once the data arrives.
 */
export function usePageTitle(page: string | null | undefined): void {
  useEffect(() => {
    if (page === null || page === undefined) return;
    document.title = documentTitle(page);
  }, [page]);
}
