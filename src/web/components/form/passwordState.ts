import type { PasswordInputProps } from "@codegouvfr/react-dsfr/blocks/PasswordInput";

/** A DSFR PasswordInput's error message under the field (it has no `state` prop), without its default hint. */
export function passwordState(
  message: string | undefined,
  hint?: string,
): Pick<PasswordInputProps, "messages" | "messagesHint"> {
  if (message) return { messagesHint: "", messages: [{ severity: "error", message }] };
  return { messagesHint: "", messages: hint ? [{ severity: "info", message: hint }] : [] };
}

export const newPasswordHint =
  "12 caractères au moins. Une phrase de passe est plus sûre et plus facile à retenir.";
