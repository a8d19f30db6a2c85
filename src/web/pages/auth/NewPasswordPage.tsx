import { Alert } from "@codegouvfr/react-dsfr/Alert";
import type { ReactNode } from "react";
import { Link } from "react-router";
import { authRoutes } from "../../../common/auth/auth.routes";
import { call } from "../../api/client";
import { usePageTitle } from "../../components/pageTitle";
import { ChoosePasswordForm, useLinkToken } from "./ChoosePasswordForm";

/** The link of the "mot de passe oublié" e-mail: /nouveau-mot-de-passe#<token> (see useLinkToken). */
export function NewPasswordPage(): ReactNode {
  usePageTitle("Choisir un nouveau mot de passe");
  const token = useLinkToken();
  return (
    <div className="fr-col-12 fr-col-md-8">
      <h1>Choisir un nouveau mot de passe</h1>
      <ChoosePasswordForm
        idPrefix="new-password"
        token={token}
        send={(body) => call(authRoutes.recoverPassword, { body })}
        invalidCode="auth.invalidRecovery"
        failureTitle="Mot de passe non modifié"
        ariaLabel="Choisir un nouveau mot de passe"
        intro={
          <p>
            Choisissez le nouveau mot de passe de votre compte Passerelle. Ce lien ne sert qu'une fois ; vos
            sessions ouvertes seront fermées.
          </p>
        }
        submitLabel="Enregistrer le nouveau mot de passe"
        success={
          <Alert
            severity="success"
            title="Votre mot de passe est modifié"
            description={
              <>
                Vous pouvez maintenant vous <Link to="/connexion">connecter</Link> avec ce mot de passe. Si
                votre compte a la double authentification, votre code de vérification vous sera demandé comme
                d'habitude.
              </>
            }
          />
        }
        invalid={
          <Alert
            severity="error"
            title="Ce lien n'est plus valable"
            description={
              <>
                Il a déjà servi, ou plus d'une heure a passé, ou un lien plus récent vous a été envoyé.{" "}
                <Link to="/mot-de-passe-oublie">Demandez un nouveau lien</Link>.
              </>
            }
          />
        }
      />
    </div>
  );
}
