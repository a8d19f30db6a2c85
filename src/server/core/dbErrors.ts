/** PostgreSQL's unique_violation (23505), as both drivers report it (Drizzle may wrap it as `cause`). */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  if ((error as { code?: unknown }).code === "23505") return true;
  return isUniqueViolation((error as { cause?: unknown }).cause);
}
