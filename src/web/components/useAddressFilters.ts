import { useSearchParams } from "react-router";

export interface AddressFilters {
  /** The text filter `name`, "" when the address has none. */
  text(name: string): string;
  /** The choice `name` when it is one of `values`; "" (all) otherwise, a hand-edited address included. */
  choice<T extends string>(name: string, values: readonly T[]): T | "";
  /** Sets these filters ("" removes one), as a new history entry. */
  set(patch: Record<string, string>): void;
}

/**
 * A list's filters kept in the page's address: back from an item finds the list as it was, a reload or a
 * link shows the same list.
 */
export function useAddressFilters(): AddressFilters {
  const [params, setParams] = useSearchParams();
  return {
    text: (name) => params.get(name) ?? "",
    choice: (name, values) => values.find((v) => v === params.get(name)) ?? "",
    set: (patch) => {
      const next = new URLSearchParams(params);
      for (const [key, value] of Object.entries(patch)) {
        if (value) next.set(key, value);
        else next.delete(key);
      }
      setParams(next);
    },
  };
}
