import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { PasswordInput } from "@codegouvfr/react-dsfr/blocks/PasswordInput";
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useEffect, useState } from "react";
import { Link } from "react-router";
import { z } from "zod";
import { authRoutes } from "../../../common/auth/auth.routes";
import { activateBodySchema } from "../../../common/auth/auth.schema";
import { ApiError, call } from "../../api/client";
import { newPasswordHint, passwordState } from "../../components/form/passwordState";
import { useFormErrors } from "../../components/form/useFormErrors";
import { usePageTitle } from "../../components/pageTitle";

const activationLabels = { password: "Mot de passe", again: "Le même mot de passe, à nouveau" } as const;
/** The server's check, and the same password typed twice. */
const activationFormSchema = activateBodySchema
  .extend({ again: z.string() })
  .refine((value) => value.password === value.again, {
    path: ["again"],
    message: "Saisissez deux fois le même mot de passe.",
    when: () => true,
  });

/**
 * The link of the activation e-mail: /activation#<token>. The token sits in the fragment, which
 * the browser never sends, so it reaches no server log; it is posted in the request body. Once
 * read, it is dropped from the address bar and the history.
 */
export function ActivationPage(): ReactNode {
  usePageTitle("Activer mon compte");
  const [token] = useState(() => window.location.hash.slice(1));
  useEffect(() => {
    if (window.location.hash) window.history.replaceState(null, "", window.location.pathname);
  }, []);
  const [password, setPassword] = useState("");
  const [again, setAgain] = useState("");
  const errors = useFormErrors(
    "activation",
    activationLabels,
    { "auth.weakPassword": "password" },
    "Compte non activé",
  );
  const activate = useMutation({
    mutationFn: () => call(authRoutes.activate, { body: { token, password } }),
    onError: errors.showApiError,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (errors.check(activationFormSchema, { token, password, again })) activate.mutate();
  };
  const expired = activate.error instanceof ApiError && activate.error.body.code === "auth.invalidActivation";
  return (
    <div className="fr-col-12 fr-col-md-8">
      <h1>Activer mon compte</h1>
      {activate.isSuccess ? (
        <Alert
          severity="success"
          title="Votre compte est activé"
          description={
            <>
              Vous pouvez maintenant vous <Link to="/connexion">connecter</Link> avec votre adresse
              électronique et ce mot de passe.
            </>
          }
        />
      ) : expired ? (
        <Alert
          severity="error"
          title="Ce lien d'activation n'est plus valable"
          description={
            <>
              Il a déjà servi, ou plus de 72 heures ont passé, ou un lien plus récent vous a été envoyé.
              Demandez à votre direction de vous renvoyer un lien d'activation. Si votre compte est déjà
              activé, <Link to="/connexion">connectez-vous</Link>.
            </>
          }
        />
      ) : !token ? (
        <Alert
          severity="error"
          title="Lien incomplet"
          description="Ouvrez le lien reçu par courriel en entier (il se termine par une longue suite de caractères après « # »)."
        />
      ) : (
        <form onSubmit={submit} aria-label="Choisir mon mot de passe" noValidate>
          <p>Choisissez le mot de passe de votre compte Passerelle. Ce lien ne sert qu'une fois.</p>
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
          <Button type="submit" disabled={activate.isPending}>
            Activer mon compte
          </Button>
        </form>
      )}
    </div>
  );
}
