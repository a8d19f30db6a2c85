import { Alert } from "@codegouvfr/react-dsfr/Alert";
import type { ReactNode } from "react";
import { Link } from "react-router";
import { authRoutes } from "../../../common/auth/auth.routes";
import { call } from "../../api/client";
import { usePageTitle } from "../../components/pageTitle";
import { ChoosePasswordForm, useLinkToken } from "./ChoosePasswordForm";

/** The link of the activation e-mail: /activation#<token> (see useLinkToken). */
export function ActivationPage(): ReactNode {
  usePageTitle("Activer mon compte");
  const token = useLinkToken();
  return (
    <div className="fr-col-12 fr-col-md-8">
      <h1>Activer mon compte</h1>
      <ChoosePasswordForm
        idPrefix="activation"
        token={token}
        send={(body) => call(authRoutes.activate, { body })}
        invalidCode="auth.invalidActivation"
        failureTitle="Compte non activé"
        ariaLabel="Choisir mon mot de passe"
        intro={<p>Choisissez le mot de passe de votre compte Passerelle. Ce lien ne sert qu'une fois.</p>}
        submitLabel="Activer mon compte"
        success={
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
        }
        invalid={
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
        }
      />
    </div>
  );
}
