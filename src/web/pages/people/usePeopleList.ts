import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useCallback, useMemo } from "react";
import { useSearchParams } from "react-router";
import { peopleRoutes } from "../../../common/people/people.routes";
import { type PeopleQuery, peopleQuerySchema } from "../../../common/people/people.schema";
import { call } from "../../api/client";

/** The list's state as the address holds it: the API's own query, defaults left out. */
export type PeopleListState = PeopleQuery;
type Key = keyof PeopleQuery;
const keys = Object.keys(peopleQuerySchema.shape) as Key[];
const defaults: Partial<Record<Key, string>> = { fileState: "active", page: "1" };

/** Reads the address with the API's schema, field by field: a wrong value is ignored, not an error page. */
export function stateFromParams(params: URLSearchParams): PeopleListState {
  const raw: Record<string, string> = {};
  for (const key of keys) {
    const value = params.get(key);
    if (value !== null && peopleQuerySchema.shape[key].safeParse(value).success) raw[key] = value;
  }
  return peopleQuerySchema.parse(raw);
}

export function paramsFromState(state: Partial<PeopleListState>): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of keys) {
    const value = state[key];
    if (value === undefined || value === "" || String(value) === defaults[key]) continue;
    params.set(key, String(value));
  }
  return params;
}

/** True when a filter (not the sort nor the page; the search too unless `withoutSearch`) is on. */
export function hasFilters(state: PeopleListState, withoutSearch = false): boolean {
  const { sort: _sort, order: _order, page: _page, search, ...filters } = state;
  return paramsFromState(withoutSearch ? filters : { ...filters, search }).size > 0;
}

export interface PeopleList {
  state: PeopleListState;
  /** Changes the state; any change but the page goes back to page 1. The search replaces the history entry. */
  update(patch: Partial<Record<Key, string | number | undefined>>, options?: { replace?: boolean }): void;
  reset(): void;
  query: ReturnType<typeof useListQuery>;
}

function useListQuery(state: PeopleListState) {
  return useQuery({
    queryKey: ["people", "list", state],
    queryFn: () => call(peopleRoutes.list, { query: { ...state } }),
    // The previous answer stays on screen while the next one loads: no flicker as the agent types.
    placeholderData: keepPreviousData,
  });
}

export function usePeopleList(): PeopleList {
  const [params, setParams] = useSearchParams();
  const state = useMemo(() => stateFromParams(params), [params]);
  const query = useListQuery(state);
  const update = useCallback<PeopleList["update"]>(
    (patch, options) => {
      setParams(
        (current) => {
          const next: Record<string, unknown> = { ...stateFromParams(current), ...patch };
          if (!("page" in patch)) next.page = 1;
          return paramsFromState(next as Partial<PeopleListState>);
        },
        { replace: options?.replace ?? false },
      );
    },
    [setParams],
  );
  const reset = useCallback(() => setParams(new URLSearchParams()), [setParams]);
  return { state, update, reset, query };
}
