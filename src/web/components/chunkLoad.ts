/** A page's chunk that could not be downloaded (Chromium, Firefox, Safari, Vite's preload). */
export function isChunkLoadError(error: unknown): boolean {
  return (
    error instanceof Error &&
    /dynamically imported module|Importing a module script failed|Unable to preload CSS/i.test(error.message)
  );
}
