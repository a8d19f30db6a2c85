import type { ReactNode } from "react";

/**
 * A fact only the deploying structure knows (a name, an address): shown highlighted and in brackets
 * so that a missing one is obvious on the page, and easy to find in the source.
 */
export function ToFill({ children }: { children: ReactNode }): ReactNode {
  return <mark>[à compléter par la structure : {children}]</mark>;
}
