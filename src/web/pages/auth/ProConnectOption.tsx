import { ProConnectButton } from "@codegouvfr/react-dsfr/ProConnectButton";
import type { ReactNode } from "react";
import { authRoutes } from "../../../common/auth/auth.routes";
import { routeUrl } from "../../api/client";

/**
 * The official "S'identifier avec ProConnect" button (DSFR), above the local login: a link, so the
 * browser goes to Passerelle's login route, which sends it on to ProConnect (ADR 0023). Its own
 * chunk: a structure without ProConnect never downloads it.
 *
 * In the expired-session dialog (`inNewWindow`), ProConnect opens in a window of its own so that the
 * page and what the agent typed stay; the dialog hears of the new session from that window
 * (`sessionChannel.ts`). Not watched through `window.open`'s handle: the pages' cross-origin opener
 * policy cuts it as soon as that window goes to ProConnect.
 */
export function ProConnectOption({ inNewWindow = false }: { inNewWindow?: boolean }): ReactNode {
  const Heading = inNewWindow ? "h3" : "h2";
  const url = routeUrl(authRoutes.proconnectLogin);
  return (
    <>
      <Heading className="fr-h5">Agents publics</Heading>
      {inNewWindow ? (
        <>
          <ProConnectButton onClick={() => window.open(url, "_blank", "noopener")} />
          <p className="fr-text--sm">
            ProConnect s'ouvre dans une nouvelle fenêtre. Une fois la connexion faite, fermez-la et revenez
            ici : cette page la prend en compte d'elle-même.
          </p>
        </>
      ) : (
        <ProConnectButton url={url} />
      )}
      <p className="fr-hr-or">ou</p>
      <Heading className="fr-h5">Avec votre compte Passerelle</Heading>
    </>
  );
}
