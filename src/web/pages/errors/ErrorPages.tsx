import type { ReactNode } from "react";
import { Link } from "react-router";

export function NotFoundPage(): ReactNode {
  return (
    <div className="fr-py-4w">
      <h1>Page non trouvée</h1>
      <p className="fr-text--sm">Erreur 404</p>
      <p className="fr-text--lead">
        La page que vous cherchez est introuvable. Excusez-nous pour la gêne occasionnée.
      </p>
      <p>Si vous avez tapé l'adresse dans le navigateur, vérifiez qu'elle est correcte.</p>
      <Link className="fr-btn" to="/">
        Page d'accueil
      </Link>
    </div>
  );
}

export function ErrorPage(): ReactNode {
  return (
    <div className="fr-py-4w">
      <h1>Erreur inattendue</h1>
      <p className="fr-text--lead">Désolé, le service rencontre un problème. Nous y travaillons.</p>
      <p>Rechargez la page ou revenez plus tard.</p>
      <a className="fr-btn" href="/">
        Page d'accueil
      </a>
    </div>
  );
}
