import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { PasswordInput } from "@codegouvfr/react-dsfr/blocks/PasswordInput";
import { type FormEvent, type ReactNode, useEffect, useState } from "react";
import { z } from "zod";
import { activateBodySchema } from "../../../common/auth/auth.schema";
import { ApiError } from "../../api/client";
import { useMutation } from "../../api/useMutation";
import { newPasswordHint, passwordState } from "../../components/form/passwordState";
import { useFormErrors } from "../../components/form/useFormErrors";

const labels = { password: "Mot de passe", again: "Le même mot de passe, à nouveau" } as const;
/** The server's check, and the same password typed twice. */
const formSchema = activateBodySchema
  .extend({ again: z.string() })
  .refine((value) => value.password === value.again, {
    path: ["again"],
    message: "Saisissez deux fois le même mot de passe.",
    when: () => true,
  });

/**
 * The token of a one-time link (/activation#<token>, /nouveau-mot-de-passe#<token>). It sits in the
 * fragment, which the browser never sends, so it reaches no server log; it is posted in the request
 * body. Once read, it is dropped from the address bar and the history.
 */
export function useLinkToken(): string {
  const [token] = useState(() => window.location.hash.slice(1));
  useEffect(() => {
    if (window.location.hash) window.history.replaceState(null, "", window.location.pathname);
  }, []);
  return token;
}

interface Props {
  idPrefix: string;
  token: string;
  /** Posts the token and the chosen password. */
  send(body: { token: string; password: string }): Promise<unknown>;
  /** The error code of a link used, expired or replaced. */
  invalidCode: string;
  failureTitle: string;
  ariaLabel: string;
  intro: ReactNode;
  submitLabel: string;
  success: ReactNode;
  invalid: ReactNode;
}

/** Choosing a password (typed twice) with a one-time link: the activation and the recovery pages. */
export function ChoosePasswordForm(props: Props): ReactNode {
  const { token } = props;
  const [password, setPassword] = useState("");
  const [again, setAgain] = useState("");
  const errors = useFormErrors(
    props.idPrefix,
    labels,
    { "auth.weakPassword": "password" },
    props.failureTitle,
  );
  const choose = useMutation({
    mutationFn: () => props.send({ token, password }),
    onError: errors.showApiError,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (errors.check(formSchema, { token, password, again })) choose.mutate();
  };
  const invalid = choose.error instanceof ApiError && choose.error.body.code === props.invalidCode;
  if (choose.isSuccess) return props.success;
  if (invalid) return props.invalid;
  if (!token)
    return (
      <Alert
        severity="error"
        title="Lien incomplet"
        description="Ouvrez le lien reçu par courriel en entier (il se termine par une longue suite de caractères après « # »)."
      />
    );
  return (
    <form onSubmit={submit} aria-label={props.ariaLabel} noValidate>
      {props.intro}
      {errors.summary}
      <PasswordInput
        label="Mot de passe"
        {...passwordState(errors.message("password"), newPasswordHint)}
        nativeInputProps={{
          ...errors.native("password"),
          autoComplete: "new-password",
          value: password,
          required: true,
          onChange: (e) => setPassword(e.target.value),
        }}
      />
      <PasswordInput
        label="Le même mot de passe, à nouveau"
        {...passwordState(errors.message("again"))}
        nativeInputProps={{
          ...errors.native("again"),
          autoComplete: "new-password",
          value: again,
          required: true,
          onChange: (e) => setAgain(e.target.value),
        }}
      />
      <Button type="submit" disabled={choose.isPending}>
        {props.submitLabel}
      </Button>
    </form>
  );
}
