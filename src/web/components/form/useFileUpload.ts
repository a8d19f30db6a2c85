import type { UploadProps } from "@codegouvfr/react-dsfr/Upload";
import { type FormEvent, type InputHTMLAttributes, useRef, useState } from "react";
import type { z } from "zod";
import { useMutation } from "../../api/useMutation";
import { type FormErrors, useFormErrors } from "./useFormErrors";

/** What an upload form sets on the file input besides its id, state and change handler. */
type FileInputProps = Pick<InputHTMLAttributes<HTMLInputElement>, "accept" | "capture">;

export interface FileUploadForm<K extends string> {
  /** The form's errors (the file under "file"): the summary, and the other fields' states. */
  errors: FormErrors<K | "file">;
  /** While the file is being sent. */
  busy: boolean;
  /**
   * The form's submit: checks the chosen file (with `others`, the form's other values) against the
   * schema, shows the problems under their fields, else sends the file.
   */
  submit(event: FormEvent, others?: Record<string, unknown>): void;
  /** Empties the chosen file and the browser's own "file chosen" (after a success, to add another). */
  reset(): void;
  /** Props of the DSFR Upload: its error state and message, its input (id, aria-invalid, change). */
  uploadProps(input: FileInputProps): Pick<UploadProps, "state" | "stateRelatedMessage" | "nativeInputProps">;
}

/**
 * The state of a form sending one file (with or without other fields): the file chosen, the error
 * under the field (the client's check, the server's refusal by code or by issue), busy while sending.
 * The page keeps its labels, hint and wording; `onSent` says what happens after a success.
 */
export function useFileUpload<T, K extends string = never>(options: {
  idPrefix: string;
  labels: Readonly<Record<K | "file", string>>;
  /** Error codes of the server shown under a field (a file refused for its type under "file"). */
  codeFields?: Readonly<Record<string, NoInfer<K> | "file">>;
  /** Checked before sending, on `{ ...others, file }`: the file's message when none is chosen. */
  schema: z.ZodType<object>;
  send: (file: File) => Promise<T>;
  onSent: (result: T, file: File) => unknown;
  /** Before the server's refusal is shown (an upload's progress bar taken away; a record id renewed). */
  onRefused?: (error: unknown) => void;
}): FileUploadForm<K> {
  const { onSent, onRefused } = options;
  const [file, setFile] = useState<File | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const errors = useFormErrors<K | "file">(options.idPrefix, options.labels, options.codeFields);
  const reset = (): void => {
    setFile(null);
    if (input.current) input.current.value = "";
  };
  const mutation = useMutation({
    mutationFn: options.send,
    onSuccess: (result, sent) => {
      errors.clear();
      return onSent(result, sent);
    },
    onError: (error) => {
      onRefused?.(error);
      errors.showApiError(error);
    },
  });
  return {
    errors,
    busy: mutation.isPending,
    submit: (event, others = {}) => {
      event.preventDefault();
      if (!errors.check(options.schema, { ...others, file }) || !file) return;
      mutation.mutate(file);
    },
    reset,
    uploadProps: (props) => ({
      ...errors.state("file"),
      nativeInputProps: {
        ...errors.native("file"),
        ...props,
        ref: input,
        onChange: (event) => setFile(event.currentTarget.files?.[0] ?? null),
      },
    }),
  };
}
