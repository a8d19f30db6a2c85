import { useEffect, useSyncExternalStore } from "react";
import { ApiError } from "../api/client";

/**
 * A read refused with `access.forbidden` means the page itself is not for this agent: the layout
 * then shows the 403 page in its place, until the agent goes elsewhere.
 */
let forbiddenPath: string | null = null;
const listeners = new Set<() => void>();

export function isForbidden(error: unknown): boolean {
  return error instanceof ApiError && error.status === 403 && error.body.code === "access.forbidden";
}

/** Called by the query cache for every failed read. */
export function reportReadError(error: unknown): void {
  if (!isForbidden(error) || forbiddenPath === window.location.pathname) return;
  forbiddenPath = window.location.pathname;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** True while the current path's main read was refused; going to another path forgets it. */
export function useForbidden(pathname: string): boolean {
  useEffect(() => {
    if (forbiddenPath !== null && forbiddenPath !== pathname) forbiddenPath = null;
  }, [pathname]);
  return useSyncExternalStore(subscribe, () => forbiddenPath === pathname);
}
