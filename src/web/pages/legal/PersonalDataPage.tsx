import type { ReactNode } from "react";
import { usePageTitle } from "../../components/pageTitle";
import { ScrollableTable } from "../../components/ScrollableTable";
import { ToFill } from "./ToFill";

/** Retention as decided for the product (DESIGN §7); each is a configurable default. */
const retention: ReactNode[][] = [
  [
    "Dossier d'une personne accompagnée (identité, coordonnées, mesure, convocations, besoins, démarches, orientations)",
    "Archivé 12 mois après la fin de la dernière mesure s'il n'y a plus eu d'activité, puis données personnelles supprimées 6 mois plus tard",
  ],
  ["Contenu des SMS et courriels envoyés", "3 mois"],
  ["Journal des accès et des modifications", "12 mois (réglable de 6 à 36 mois)"],
  ["Sessions de connexion et tentatives de connexion des agents", "30 jours"],
  [
    "Statistiques anonymes du comité de pilotage",
    "Conservées : elles ne permettent pas d'identifier une personne",
  ],
];

export function PersonalDataPage(): ReactNode {
  usePageTitle("Données personnelles");
  return (
    <div className="fr-col-lg-9">
      <h1>Données personnelles</h1>
      <p className="fr-text--lead">
        Cette page explique quelles données Passerelle traite, pourquoi, sur quelle base légale, combien de
        temps elles sont gardées, et comment exercer vos droits.
      </p>

      <h2>Qui est responsable des données ?</h2>
      <ul>
        <li>
          <strong>Le ministère de la Justice</strong> (direction de l'administration pénitentiaire),
          représenté par le SPIP (<ToFill>nom et adresse du SPIP</ToFill>), pour le suivi des personnes
          placées sous main de justice : identité, mesure judiciaire, conseiller ou conseillère pénitentiaire
          d'insertion et de probation (CPIP) référent·e, convocations.
        </li>
        <li>
          <strong>L'association</strong> co-porteuse de la structure France services (
          <ToFill>nom et adresse de l'association</ToFill>), responsable conjointe avec le ministère pour
          l'accompagnement France services : besoins, démarches, orientations vers les partenaires.
        </li>
      </ul>

      <h2>Quelles données, et pourquoi ?</h2>
      <h3>Pour les personnes accompagnées</h3>
      <ul>
        <li>identité (nom, prénom, date de naissance) et coordonnées (téléphone, adresse électronique) ;</li>
        <li>
          type et date de fin de la mesure judiciaire, CPIP référent·e, et pour une personne détenue :
          l'établissement et la date de sortie prévue ;
        </li>
        <li>convocations, besoins, démarches réalisées et orientations vers un partenaire ;</li>
        <li>les consentements donnés au partage d'informations (« secret partagé »).</li>
      </ul>
      <p>
        Ces données servent à organiser les rendez-vous de la structure France services et à accompagner la
        personne dans ses démarches (papiers d'identité, santé, CAF, emploi, logement…) pendant sa mesure. Les
        conseillers et conseillères France services ne voient jamais l'infraction ni la décision de justice.
        Aucun SMS ni courriel n'est envoyé à une personne détenue : sa convocation passe par l'établissement.
      </p>
      <h3>Pour les agents</h3>
      <p>
        Nom, adresse électronique professionnelle, structures et rôles, connexions et journal des accès : pour
        sécuriser le service et tracer chaque consultation d'un dossier.
      </p>

      <h2>Sur quelle base légale ?</h2>
      <ul>
        <li>
          Le suivi et l'accompagnement relèvent d'une <strong>mission d'intérêt public</strong> (article 6-1-e
          du règlement général sur la protection des données, RGPD) : l'insertion des personnes placées sous
          main de justice confiée au SPIP par le code pénitentiaire, et le label France services.
        </li>
        <li>
          Les données relatives à la mesure judiciaire sont traitées dans le cadre de l'exécution des peines
          (titre III de la loi n° 78-17 du 6 janvier 1978 « Informatique et libertés »).
        </li>
        <li>
          Le partage d'informations avec un partenaire (CAF, CPAM, France Travail, employeur de l'insertion…)
          repose sur le <strong>consentement</strong> de la personne (article 6-1-a du RGPD), qu'elle peut
          retirer à tout moment.
        </li>
        <li>
          La sécurité du service et le journal des accès répondent à une <strong>obligation légale</strong>{" "}
          (article 32 du RGPD).
        </li>
      </ul>

      <h2>Qui peut voir ces données ?</h2>
      <ul>
        <li>les agents habilités de la structure, chacun selon son rôle ;</li>
        <li>
          un partenaire destinataire d'une orientation : seulement ce que la personne a accepté de partager ;
        </li>
        <li>le comité de pilotage : uniquement des statistiques anonymes, jamais un nom ;</li>
        <li>
          nos sous-traitants, pour le strict nécessaire : l'hébergeur (<ToFill>nom de l'hébergeur</ToFill>),
          le prestataire d'envoi des SMS et le service de courriel (<ToFill>noms des prestataires</ToFill>).
          Les données restent dans l'Union européenne.
        </li>
      </ul>

      <h2>Combien de temps ?</h2>
      <ScrollableTable
        caption="Durées de conservation"
        headers={["Données", "Durée"]}
        data={retention}
        bordered
      />

      <h2>Vos droits</h2>
      <p>
        Vous pouvez accéder à vos données, les faire rectifier, demander leur effacement ou la limitation de
        leur traitement, et retirer à tout moment un consentement au partage. Pour les données liées à
        l'exécution de la mesure judiciaire, certains droits peuvent être limités par la loi (articles 104 à
        107 de la loi « Informatique et libertés ») ; vous pouvez alors les exercer par l'intermédiaire de la
        CNIL.
      </p>
      <p>Pour exercer vos droits, adressez-vous :</p>
      <ul>
        <li>
          à votre CPIP référent·e ou à l'accueil du SPIP, qui transmet votre demande (
          <ToFill>adresse du SPIP</ToFill>) ;
        </li>
        <li>
          au délégué à la protection des données du ministère de la Justice : 13, place Vendôme, 75042 Paris
          Cedex 01 ;
        </li>
        <li>
          pour l'accompagnement France services, au délégué à la protection des données de l'association (
          <ToFill>adresse de contact</ToFill>).
        </li>
      </ul>
      <p>
        Une réponse vous est donnée dans un délai d'un mois. Si vous estimez que vos droits ne sont pas
        respectés, vous pouvez adresser une réclamation à la CNIL (cnil.fr, ou 3, place de Fontenoy, TSA
        80715, 75334 Paris Cedex 07).
      </p>

      <h2>Cookies</h2>
      <p>
        Passerelle n'utilise qu'un cookie de session, indispensable à la connexion, et enregistre dans votre
        navigateur deux réglages : le thème d'affichage (clair ou sombre) et la structure choisie. Aucun
        cookie de mesure d'audience ni de publicité : aucun consentement n'est donc demandé.
      </p>
    </div>
  );
}
