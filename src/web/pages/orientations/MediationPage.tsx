import type { ReactNode } from "react";
import { usePageTitle } from "../../components/pageTitle";
import { type InboxWording, PartnerInbox } from "./PartnerInbox";

const wording: InboxWording = {
  title: null,
  open: "À traiter",
  closed: "Traitées",
  noneOpen: "Aucune réorientation à traiter.",
  noneClosed: "Aucune réorientation traitée.",
};

/**
 * The association's mediation (ADR 0020): the reorientations of complex files sent by the
 * structure, to accept or refuse, then to close with their outcome.
 */
export default function MediationPage(): ReactNode {
  usePageTitle("Médiation");
  return (
    <>
      <h1>Médiation</h1>
      <p>
        Les réorientations vers le service de médiation de l'association, pour les dossiers complexes.
        Acceptez ou refusez chacune (la raison d'un refus peut être dite à la personne), puis indiquez son
        résultat : le CPIP référent en est informé sur son accueil. Sans réponse sous 30 jours, une
        réorientation expire.
      </p>
      <PartnerInbox wording={wording} />
    </>
  );
}
