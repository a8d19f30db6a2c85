import { useSearchParams } from "react-router";
import { isoDate } from "../../common/dates";

export interface AddressReader {
  /** The text filter `name`, "" when the address has none. */
  text(name: string): string;
  /** The choice `name` when it is one of `values`; "" (all) otherwise, a hand-edited address included. */
  choice<T extends string>(name: string, values: readonly T[]): T | "";
  /** The day `name` (AAAA-MM-JJ) when it is a real one; "" otherwise (absent, being typed, hand-edited). */
  date(name: string): string;
}

export interface AddressFilters extends AddressReader {
  /** Sets these filters ("" removes one), as a new history entry. */
  set(patch: Record<string, string>): void;
}

/** Reads a list's filters from an address's query (pure: the hook's reading, testable without a page). */
export function addressReader(params: URLSearchParams): AddressReader {
  return {
    text: (name) => params.get(name) ?? "",
    choice: (name, values) => values.find((v) => v === params.get(name)) ?? "",
    date: (name) => {
      const value = params.get(name) ?? "";
      return isoDate.safeParse(value).success ? value : "";
    },
  };
}

/**
 * A list's filters kept in the page's address: back from an item finds the list as it was, a reload or a
 * link shows the same list.
 */
export function useAddressFilters(): AddressFilters {
  const [params, setParams] = useSearchParams();
  return {
    ...addressReader(params),
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
