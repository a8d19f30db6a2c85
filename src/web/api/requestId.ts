import { type QueryKey, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

/**
 * A random UUID (version 4) a form gives the record it creates, so that resending after an answer
 * lost with the connection does not create it twice. `crypto.randomUUID` exists only on https and
 * localhost; `getRandomValues` everywhere.
 */
export function newRecordId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * A creation sent again after a lost answer, with other values than the first submission's (ADR
 * 0036): the first one was recorded. The form then takes a new id (a later submission is a new
 * record, deliberately) and reloads the list, where the first one now shows.
 */
export function isRetriedWithOtherValues(error: unknown): boolean {
  const code = (error as { body?: { code?: unknown } } | null)?.body?.code;
  return typeof code === "string" && code.endsWith(".retriedWithOtherValues");
}

/**
 * After a creation failed: sent again with other values than its first, recorded, submission, the
 * form takes a new id (`renew`) and reloads what lists the first (`reload`); any other failure keeps
 * the id, so that submitting again stays safe. Says whether the id was renewed.
 */
export async function renewAfterRetriedWithOtherValues(
  error: unknown,
  renew: () => void,
  reload: () => Promise<unknown>,
): Promise<boolean> {
  if (!isRetriedWithOtherValues(error)) return false;
  renew();
  await reload();
  return true;
}

/** The id of the record a creation form is about to create (ADR 0036). */
export interface RecordId {
  /** Sent as the new record's `id`. */
  id: string;
  /** The record was created: a later submission is another record, under a new id. */
  saved(): void;
  /**
   * The creation failed: after a `….retriedWithOtherValues` 409, a new id and the queries under
   * the hook's keys reloaded (the first submission now shows there); otherwise the id is kept.
   */
  failed(error: unknown): Promise<void>;
}

/**
 * A creation form's record id, chosen when the form opens and kept until the record is saved, so
 * that sending again after an answer lost with the connection does not create it twice (ADR 0036).
 * `reload`: the query keys of the lists where the record shows.
 */
export function useRecordId(...reload: QueryKey[]): RecordId {
  const queryClient = useQueryClient();
  const [id, setId] = useState(newRecordId);
  return {
    id,
    saved: () => setId(newRecordId()),
    failed: async (error) => {
      await renewAfterRetriedWithOtherValues(
        error,
        () => setId(newRecordId()),
        async () => {
          for (const queryKey of reload) await queryClient.invalidateQueries({ queryKey });
        },
      );
    },
  };
}
