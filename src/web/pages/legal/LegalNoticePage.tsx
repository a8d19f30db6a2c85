import type { ReactNode } from "react";
import { Link } from "react-router";
import { usePageTitle } from "../../components/pageTitle";
import { ToFill } from "./ToFill";

export function LegalNoticePage(): ReactNode {
  usePageTitle("Mentions légales");
  return (
    <div className="fr-col-lg-9">
      <h1>Mentions légales</h1>

      <h2>Éditeur du service</h2>
      <p>
        Passerelle est le service numérique de la structure France services co-portée par le service
        pénitentiaire d'insertion et de probation (SPIP) et une association de médiation, pour
        l'accompagnement dans leurs démarches des personnes placées sous main de justice.
      </p>
      <p>
        Le service est édité par le ministère de la Justice, direction de l'administration pénitentiaire,
        représenté par le SPIP : <ToFill>nom et adresse du SPIP</ToFill>.
      </p>
      <p>
        Directeur ou directrice de la publication : le directeur ou la directrice fonctionnel·le du SPIP,{" "}
        <ToFill>nom</ToFill>.
      </p>
      <p>
        Association co-porteuse de la structure France services :{" "}
        <ToFill>nom, adresse et numéro RNA de l'association</ToFill>.
      </p>

      <h2>Hébergement</h2>
      <p>
        Les données sont hébergées en France, chez un hébergeur qualifié pour les données de l'État :{" "}
        <ToFill>nom, adresse et téléphone de l'hébergeur</ToFill>.
      </p>

      <h2>Accès au service</h2>
      <p>
        Passerelle est réservé aux agents habilités du SPIP, aux conseillers et conseillères France services
        de la structure, à la direction de la structure, aux membres du comité de pilotage (statistiques
        anonymes uniquement) et aux correspondants des partenaires destinataires d'une orientation. Chaque
        accès à un dossier est enregistré dans un journal. Tout accès ou toute tentative d'accès non autorisé
        est passible des sanctions prévues par les articles 323-1 et suivants du code pénal.
      </p>

      <h2>Propriété intellectuelle</h2>
      <p>
        Sauf mention contraire, les contenus de ce service sont publiés sous licence ouverte Etalab 2.0. Le
        logo de la République française, la police Marianne et le système de design de l'État sont la
        propriété de l'État et ne peuvent être réutilisés hors des services de l'État.
      </p>

      <h2>Données personnelles et accessibilité</h2>
      <p>
        Le traitement des données personnelles est décrit sur la page{" "}
        <Link to="/donnees-personnelles">Données personnelles</Link>. L'état de conformité du service au
        référentiel d'accessibilité (RGAA) est décrit dans la{" "}
        <Link to="/accessibilite">déclaration d'accessibilité</Link>.
      </p>
    </div>
  );
}
