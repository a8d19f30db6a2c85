import { ProConnectButton } from "@codegouvfr/react-dsfr/ProConnectButton";
import type { ReactNode } from "react";
import { authRoutes } from "../../../common/auth/auth.routes";
import { routeUrl } from "../../api/client";

/**
 * The official "S'identifier avec ProConnect" button (DSFR), above the local login: a link, so the
 * browser goes to Passerelle's login route, which sends it on to ProConnect (ADR 0023). Its own
 * chunk: a structure without ProConnect never downloads it.
 */
export function ProConnectOption(): ReactNode {
  return (
    <>
      <h2 className="fr-h5">Agents publics</h2>
      <ProConnectButton url={routeUrl(authRoutes.proconnectLogin)} />
      <p className="fr-hr-or">ou</p>
      <h2 className="fr-h5">Avec votre compte Passerelle</h2>
    </>
  );
}
