import type { ReactNode } from "react";
import { Link } from "react-router";
import type { Role } from "../../../common/roles";
import { usePageTitle } from "../../components/pageTitle";
import { reservedFor } from "./reservedFor";

/**
 * The 404 page; `back`: a way back to the list the address was taken from (an unknown file, or one
 * outside the agent's reach: said the same way, never whether it exists elsewhere).
 */
export function NotFoundPage({ back }: { back?: { to: string; label: string } } = {}): ReactNode {
  usePageTitle("Page non trouvée");
  return (
    <div className="fr-py-4w">
      <h1>Page non trouvée</h1>
      <p className="fr-text--sm">Erreur 404</p>
      <p className="fr-text--lead">
        La page que vous cherchez est introuvable. Excusez-nous pour la gêne occasionnée.
      </p>
      <p>
        Si vous avez tapé l'adresse dans le navigateur, vérifiez qu'elle est correcte. La page n'est peut-être
        plus disponible : un dossier fusionné ou supprimé n'a plus d'adresse.
      </p>
      <ul className="fr-btns-group fr-btns-group--inline-md">
        {back && (
          <li>
            <Link className="fr-btn" to={back.to}>
              {back.label}
            </Link>
          </li>
        )}
        <li>
          <Link className={back ? "fr-btn fr-btn--secondary" : "fr-btn"} to="/">
            Page d'accueil
          </Link>
        </li>
      </ul>
    </div>
  );
}

/** The page exists but is not for this agent: their role in this structure does not open it. */
export function ForbiddenPage({ roles }: { roles?: readonly Role[] } = {}): ReactNode {
  usePageTitle("Accès refusé");
  const reserved = reservedFor(roles);
  return (
    <div className="fr-py-4w">
      <h1>Accès refusé</h1>
      <p className="fr-text--sm">Erreur 403</p>
      <p className="fr-text--lead">Votre rôle dans cette structure ne permet pas d'afficher cette page.</p>
      {reserved && <p>{reserved}</p>}
      <p>Que faire :</p>
      <ul>
        <li>
          si vous travaillez dans plusieurs structures, vérifiez la structure choisie en haut de la page ;
        </li>
        <li>
          si votre mission le justifie, demandez à la direction de votre structure (page «&nbsp;Agents&nbsp;»)
          de vous attribuer le rôle nécessaire ;
        </li>
        <li>sinon, revenez à la page d'accueil : elle présente ce que votre rôle permet de faire.</li>
      </ul>
      <p>Chaque accès aux dossiers est tracé dans le journal des accès de la structure.</p>
      <Link className="fr-btn" to="/">
        Page d'accueil
      </Link>
    </div>
  );
}

export function ErrorPage(): ReactNode {
  usePageTitle("Erreur inattendue");
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

/**
 * A page's code could not be downloaded: the server is unreachable, or a new version replaced the
 * files this tab was built with. Reloading fetches the current version (a failed chunk stays failed
 * in this tab until then).
 */
export function UnreachablePage(): ReactNode {
  usePageTitle("Passerelle ne répond pas pour l'instant");
  return (
    <div className="fr-py-4w">
      <h1>Passerelle ne répond pas pour l'instant</h1>
      <p className="fr-text--lead">Cette page n'a pas pu être chargée.</p>
      <p>
        Le serveur est peut-être injoignable (réseau, redémarrage), ou une nouvelle version de Passerelle
        vient d'être installée. Réessayez dans un instant.
      </p>
      <button type="button" className="fr-btn" onClick={() => window.location.reload()}>
        Réessayer
      </button>
    </div>
  );
}
