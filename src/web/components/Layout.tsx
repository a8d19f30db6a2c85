import { Footer } from "@codegouvfr/react-dsfr/Footer";
import { Header } from "@codegouvfr/react-dsfr/Header";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { SkipLinks } from "@codegouvfr/react-dsfr/SkipLinks";
import type { ReactNode } from "react";
import { useLocation, useNavigate } from "react-router";
import { authRoutes } from "../../common/auth/auth.routes";
import { call } from "../api/client";
import { fetchSession, useSession } from "../api/session";
import type { LogoutNotice } from "../pages/auth/LogoutNotice";
import { ForbiddenPage } from "../pages/errors/ErrorPages";
import { DisplaySettings, displaySettingsItem } from "./DisplaySettings";
import { useForbidden } from "./forbidden";
import { isCurrent, navFor } from "./navigation";
import { RouteAnnouncer } from "./RouteAnnouncer";
import { SessionExpired } from "./SessionExpired";

/**
 * The steering dashboard has its own "Structure" filter (all of the reader's structures, or one):
 * the header's choice would be a second select of the same name, and the one that does not apply.
 */
function choosesItsStructures(pathname: string): boolean {
  return pathname === "/pilotage" || pathname.startsWith("/pilotage/");
}

/** The home page puts the header's "Structure" choice after its h1 (the page's title comes first). */
function placesItsStructureChoice(pathname: string): boolean {
  return pathname === "/";
}

/** The structure the agent works in, when they belong to several; nothing otherwise. */
export function StructureChoice(): ReactNode {
  const { structureId, structures, selectStructure } = useSession();
  if (structures.length <= 1) return null;
  return (
    <Select
      label="Structure"
      nativeSelectProps={{ value: structureId ?? "", onChange: (e) => selectStructure(e.target.value) }}
    >
      {structures.map((s) => (
        <option key={s.id} value={s.id}>
          {s.name}
        </option>
      ))}
    </Select>
  );
}

export function Layout({ children }: { children: ReactNode }): ReactNode {
  const { session, roles, structureName, structures, signedOut } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const fullyLoggedIn = session?.stage === "active";
  const forbidden = useForbidden(location.pathname);

  // The agent always leaves for the login page, told whether this browser is signed out (ADR 0002).
  const logout = async () => {
    let notice: LogoutNotice = "signedOut";
    try {
      const { redirectTo } = await call(authRoutes.logout);
      // Signed in through ProConnect: its session ends too, and it sends the browser back to /connexion.
      if (redirectTo) {
        signedOut();
        window.location.assign(redirectTo);
        return;
      }
    } catch {
      // The server clears the cookie even when it could not record the logout: a session read that
      // answers "signed out" confirms it; no answer at all cannot.
      const after = await fetchSession().catch(() => undefined);
      if (after !== null) notice = "unconfirmed";
    }
    signedOut();
    // The query cache tells its readers on the next task: the login page must not see the old session.
    await new Promise((resolve) => setTimeout(resolve, 0));
    navigate("/connexion", { state: { logout: notice } });
  };

  return (
    <>
      <SkipLinks links={[{ anchor: "#contenu", label: "Contenu" }]} />
      <Header
        disableDisplay
        brandTop={
          <>
            République
            <br />
            Française
          </>
        }
        serviceTitle="Passerelle"
        serviceTagline={structureName ?? "Accès aux droits des personnes placées sous main de justice"}
        homeLinkProps={{ to: "/", title: "Accueil - Passerelle" }}
        quickAccessItems={
          session
            ? [
                ...(fullyLoggedIn
                  ? [
                      {
                        iconId: "fr-icon-account-circle-line" as const,
                        text: session.user.displayName,
                        linkProps: { to: "/compte" },
                      },
                    ]
                  : []),
                {
                  iconId: "fr-icon-logout-box-r-line" as const,
                  text: "Se déconnecter",
                  buttonProps: { onClick: () => void logout() },
                },
              ]
            : []
        }
        navigation={
          fullyLoggedIn
            ? navFor(roles).map((entry) =>
                entry.kind === "link"
                  ? {
                      text: entry.text,
                      linkProps: { to: entry.to },
                      isActive: isCurrent(entry.to, location.pathname),
                    }
                  : {
                      text: entry.text,
                      isActive: entry.links.some((link) => isCurrent(link.to, location.pathname)),
                      menuLinks: entry.links.map((link) => ({
                        text: link.text,
                        linkProps: { to: link.to },
                        isActive: isCurrent(link.to, location.pathname),
                      })),
                    },
              )
            : undefined
        }
      />
      {fullyLoggedIn &&
        structures.length > 1 &&
        !choosesItsStructures(location.pathname) &&
        !placesItsStructureChoice(location.pathname) && (
          <div className="fr-container fr-mt-2w">
            <StructureChoice />
          </div>
        )}
      <main id="contenu" className="fr-container fr-my-4w" tabIndex={-1}>
        <SessionExpired />
        {forbidden ? <ForbiddenPage /> : children}
      </main>
      <RouteAnnouncer />
      <Footer
        accessibility="non compliant"
        accessibilityLinkProps={{ to: "/accessibilite" }}
        termsLinkProps={{ to: "/mentions-legales" }}
        contentDescription="Passerelle accompagne la structure France services du SPIP : convocations, démarches, orientations et pilotage."
        bottomItems={[
          { text: "Données personnelles", linkProps: { to: "/donnees-personnelles" } },
          displaySettingsItem,
        ]}
      />
      <DisplaySettings />
    </>
  );
}
