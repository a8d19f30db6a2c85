import {
  type DefaultError,
  type MutateOptions,
  type QueryClient,
  type UseMutationOptions,
  type UseMutationResult,
  useMutation as useQueryMutation,
} from "@tanstack/react-query";
import { useMemo, useRef } from "react";

/** Calls JSON cannot write, each numbered apart. */
let uncomparable = 0;

/** What identifies a call: its variables, a file by its name, size and date (JSON gives `{}`). */
export function callKey(variables: unknown): string {
  try {
    return (
      JSON.stringify(variables, (_key, value: unknown) =>
        typeof Blob !== "undefined" && value instanceof Blob
          ? `file:${value instanceof File ? `${value.name}:${value.lastModified}:` : ""}${value.size}:${value.type}`
          : value,
      ) ?? "undefined"
    );
  } catch {
    // Not writable as JSON (a cycle, a BigInt): a call of its own, sent as the library would.
    uncomparable += 1;
    return `uncomparable:${uncomparable}`;
  }
}

/**
 * Sends a call unless the same one (same `callKey`) is still in flight, whose promise it then
 * returns: the same call is sent once, its outcome shared.
 */
export function sendOnce<T>(
  inFlight: Map<string, Promise<T>>,
  variables: unknown,
  send: () => Promise<T>,
): Promise<T> {
  const key = callKey(variables);
  const pending = inFlight.get(key);
  if (pending) return pending;
  const sent = send().finally(() => inFlight.delete(key));
  inFlight.set(key, sent);
  return sent;
}

/**
 * TanStack Query's `useMutation`, sending a call once: the same call (same variables) made again
 * before the first has settled is not sent, it shares the first one's outcome. A button clicked twice
 * before the page is drawn again (`isPending` disables it only then) would otherwise send twice: two
 * activation e-mails, two temporary passwords, two rows. A call with other variables goes as usual.
 * Every page imports this one, not the library's (a test keeps it so).
 */
export function useMutation<TData = unknown, TError = DefaultError, TVariables = void, TContext = unknown>(
  options: UseMutationOptions<TData, TError, TVariables, TContext>,
  queryClient?: QueryClient,
): UseMutationResult<TData, TError, TVariables, TContext> {
  const mutation = useQueryMutation(options, queryClient);
  const inFlight = useRef(new Map<string, Promise<TData>>());
  const { mutateAsync } = mutation;
  const once = useMemo(() => {
    const mutateOnce = (
      variables: TVariables,
      callOptions?: MutateOptions<TData, TError, TVariables, TContext>,
    ): Promise<TData> => sendOnce(inFlight.current, variables, () => mutateAsync(variables, callOptions));
    return {
      mutateAsync: mutateOnce,
      mutate: (variables: TVariables, callOptions?: MutateOptions<TData, TError, TVariables, TContext>) => {
        // As the library's `mutate`: the error is the mutation's state, not a rejected promise.
        mutateOnce(variables, callOptions).catch(() => undefined);
      },
    };
  }, [mutateAsync]);
  return { ...mutation, ...once } as UseMutationResult<TData, TError, TVariables, TContext>;
}
