import { useEffect, useState } from "react";

/**
 * `value` once it has stopped changing for `ms` (a date typed digit by digit, a name typed letter by
 * letter): a query keyed on it asks once the user pauses, not at every keystroke — each such read of
 * people's data is journaled. Compared by content, so a new object with the same fields is the same.
 */
export function useSettled<T>(value: T, ms = 400): T {
  const [settled, setSettled] = useState(value);
  const key = JSON.stringify(value);
  // biome-ignore lint/correctness/useExhaustiveDependencies: keyed on the value's content, not its identity
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [key, ms]);
  return settled;
}
