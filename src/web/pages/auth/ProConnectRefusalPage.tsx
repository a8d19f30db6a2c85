import type { ReactNode } from "react";
import { Link, useParams } from "react-router";
import { usePageTitle } from "../../components/pageTitle";

interface Refusal {
  title: string;
  lead: string;
  next: string;
}

/** What each refusal of a ProConnect login tells the agent (the server journals the precise reason). */
const refusals: Record<string, Refusal> = {
  "compte-inconnu": {
    title: "Votre compte n'existe pas encore dans Passerelle",
    lead: "Votre compte n'existe pas encore dans Passerelle : demandez à votre direction de vous ajouter comme agent de votre structure.",
    next: "Donnez-lui l'adresse électronique professionnelle que vous utilisez avec ProConnect. Une fois ajouté, revenez sur la page de connexion et choisissez à nouveau « S'identifier avec ProConnect ».",
  },
  "compte-desactive": {
    title: "Votre compte Passerelle est désactivé",
    lead: "ProConnect vous a bien identifié, mais votre compte Passerelle a été désactivé par un administrateur de la plateforme.",
    next: "Si vous pensez que c'est une erreur, contactez la direction de votre structure.",
  },
  "adresse-non-verifiee": {
    title: "Adresse électronique non vérifiée",
    lead: "ProConnect n'a pas confirmé votre adresse électronique : Passerelle ne peut pas retrouver votre compte sans elle.",
    next: "Vérifiez votre adresse auprès du service informatique de votre administration, puis réessayez, ou connectez-vous avec votre mot de passe Passerelle.",
  },
  indisponible: {
    title: "ProConnect ne répond pas pour le moment",
    lead: "Passerelle n'a pas pu joindre ProConnect : la connexion par ProConnect est momentanément impossible.",
    next: "Réessayez dans quelques minutes, ou connectez-vous avec votre adresse électronique et votre mot de passe Passerelle.",
  },
};

const failure: Refusal = {
  title: "La connexion avec ProConnect n'a pas abouti",
  lead: "La connexion a été interrompue ou la réponse de ProConnect n'a pas pu être vérifiée : le lien a peut-être expiré, déjà servi, ou été ouvert dans un autre navigateur.",
  next: "Recommencez depuis la page de connexion, dans ce navigateur. Si le problème persiste, connectez-vous avec votre mot de passe Passerelle.",
};

/** Where the callback of a refused ProConnect login lands: what happened and what to do, in French. */
export function ProConnectRefusalPage(): ReactNode {
  const { motif = "" } = useParams();
  const refusal = refusals[motif] ?? failure;
  usePageTitle(refusal.title);
  return (
    <div className="fr-grid-row fr-grid-row--center fr-py-4w">
      <div className="fr-col-12 fr-col-md-8">
        <h1>{refusal.title}</h1>
        <p className="fr-text--lead">{refusal.lead}</p>
        <p>{refusal.next}</p>
        <Link className="fr-btn" to="/connexion">
          Retour à la page de connexion
        </Link>
      </div>
    </div>
  );
}
