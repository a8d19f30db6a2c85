import type { ReactNode } from "react";
import { usePageTitle } from "../../components/pageTitle";
import { ToFill } from "./ToFill";

export function AccessibilityPage(): ReactNode {
  usePageTitle("Déclaration d'accessibilité");
  return (
    <div className="fr-col-lg-9">
      <h1>Déclaration d'accessibilité</h1>
      <p>
        Le ministère de la Justice s'engage à rendre ses services numériques accessibles, conformément à
        l'article 47 de la loi n° 2005-102 du 11 février 2005. Cette déclaration d'accessibilité s'applique au
        service Passerelle.
      </p>

      <h2>État de conformité</h2>
      <p>
        Passerelle est <strong>non conforme</strong> avec le référentiel général d'amélioration de
        l'accessibilité (RGAA) version 4.1.2 : aucun audit de conformité n'a encore été réalisé.
      </p>

      <h2>Ce qui est déjà vérifié</h2>
      <p>En attendant l'audit, l'équipe vérifie à chaque version :</p>
      <ul>
        <li>
          l'absence d'erreur détectée automatiquement (outil axe-core) sur chaque écran des parcours testés,
          sur ordinateur et sur téléphone, en thème clair et en thème sombre ;
        </li>
        <li>la navigation au clavier, avec un lien d'évitement vers le contenu ;</li>
        <li>
          un titre de page propre à chaque écran, et le déplacement du focus sur le titre principal à chaque
          changement de page ;
        </li>
        <li>l'utilisation du système de design de l'État (DSFR), dont les composants respectent le RGAA.</li>
      </ul>
      <p>
        Une vérification automatique ne détecte qu'une partie des défauts : seul un audit permettra de mesurer
        le taux de conformité.
      </p>

      <h2>Contenus non accessibles</h2>
      <p>Les contenus suivants sont connus pour poser des difficultés :</p>
      <ul>
        <li>
          les graphiques du tableau de bord de pilotage : les mêmes chiffres sont donnés dans des tableaux
          sous chaque graphique ;
        </li>
        <li>
          la vue en grille de l'agenda des convocations : la vue « liste » présente les mêmes informations et
          s'affiche par défaut sur les petits écrans ;
        </li>
        <li>les courriers de convocation au format PDF, qui ne sont pas encore balisés.</li>
      </ul>

      <h2>Établissement de cette déclaration</h2>
      <p>
        Cette déclaration a été établie le <ToFill>date</ToFill>, sur la base d'une auto-évaluation. Elle sera
        mise à jour après l'audit.
      </p>
      <p>Technologies utilisées : HTML5, CSS, JavaScript (React), WAI-ARIA.</p>

      <h2>Retour d'information et contact</h2>
      <p>
        Si vous n'arrivez pas à accéder à un contenu ou à un service, vous pouvez contacter le responsable du
        service pour être orienté vers une alternative accessible ou obtenir le contenu sous une autre forme :
      </p>
      <ul>
        <li>
          par courrier électronique : <ToFill>adresse de contact du SPIP</ToFill> ;
        </li>
        <li>
          par courrier postal : <ToFill>adresse postale du SPIP</ToFill>.
        </li>
      </ul>

      <h2>Voies de recours</h2>
      <p>
        Si vous constatez un défaut d'accessibilité vous empêchant d'accéder à un contenu ou à une
        fonctionnalité du service, que vous nous le signalez et que vous ne parvenez pas à obtenir de réponse
        de notre part, vous êtes en droit de faire parvenir vos doléances ou une demande de saisine au
        Défenseur des droits :
      </p>
      <ul>
        <li>
          en écrivant un message par le formulaire de contact du Défenseur des droits (defenseurdesdroits.fr)
          ;
        </li>
        <li>en contactant le délégué du Défenseur des droits dans votre région ;</li>
        <li>
          en envoyant un courrier (gratuit, ne pas mettre de timbre) : Défenseur des droits, Libre réponse
          71120, 75342 Paris CEDEX 07.
        </li>
      </ul>
    </div>
  );
}
