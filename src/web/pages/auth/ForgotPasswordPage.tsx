import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { type FormEvent, type ReactNode, useState } from "react";
import { Link } from "react-router";
import { authRoutes } from "../../../common/auth/auth.routes";
import { passwordRecoveryBodySchema } from "../../../common/auth/auth.schema";
import { call } from "../../api/client";
import { useMutation } from "../../api/useMutation";
import { useFormErrors } from "../../components/form/useFormErrors";
import { usePageTitle } from "../../components/pageTitle";
import { AccountEmailInput } from "./AccountEmailInput";

const labels = { email: "Adresse électronique professionnelle" } as const;

/** "Mot de passe oublié": the same confirmation whatever the address (the server answers the same). */
export function ForgotPasswordPage(): ReactNode {
  usePageTitle("Mot de passe oublié");
  const [email, setEmail] = useState("");
  const errors = useFormErrors("forgot", labels, {}, "Demande non envoyée");
  const ask = useMutation({
    mutationFn: () => call(authRoutes.passwordRecovery, { body: { email } }),
    onError: errors.showApiError,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (errors.check(passwordRecoveryBodySchema, { email })) ask.mutate();
  };
  return (
    <div className="fr-col-12 fr-col-md-8">
      <h1>Mot de passe oublié</h1>
      {ask.isSuccess ? (
        <Alert
          severity="info"
          title="Demande enregistrée"
          description={
            <>
              Si un compte existe pour cette adresse, un lien vous a été envoyé ; il est valable 1 heure.
              Pensez à regarder dans les courriers indésirables.{" "}
              <Link to="/connexion">Retour à la connexion</Link>
            </>
          }
        />
      ) : (
        <form onSubmit={submit} aria-label="Demander un lien pour choisir un nouveau mot de passe" noValidate>
          <p>
            Saisissez l'adresse électronique de votre compte Passerelle : vous recevrez un lien pour choisir
            un nouveau mot de passe. Si votre compte a la double authentification, le code vous sera toujours
            demandé à la connexion.
          </p>
          {errors.summary}
          <AccountEmailInput
            errors={errors}
            value={email}
            onChange={setEmail}
            hintText="Celle avec laquelle vous vous connectez à Passerelle"
          />
          <ul className="fr-btns-group fr-btns-group--inline-md">
            <li>
              <Button type="submit" disabled={ask.isPending}>
                Recevoir un lien
              </Button>
            </li>
            <li>
              <Link className="fr-btn fr-btn--secondary" to="/connexion">
                Retour à la connexion
              </Link>
            </li>
          </ul>
        </form>
      )}
    </div>
  );
}
