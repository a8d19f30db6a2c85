import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { type QueryClient, useQuery, useQueryClient } from "@tanstack/react-query";
import { createContext, type ReactNode, useContext, useEffect, useState } from "react";
import { authRoutes } from "../../common/auth/auth.routes";
import type { SessionView } from "../../common/auth/auth.schema";
import type { Role } from "../../common/roles";
import { usePageTitle } from "../components/pageTitle";
import { ApiError, call, onSessionExpired, setCsrfToken } from "./client";
import { announceSignedIn } from "./sessionChannel";

export interface SessionState {
  session: SessionView | null;
  /** The structure the agent works in (the first of their memberships). */
  structureId: string | null;
  structureName: string | null;
  /** That structure's département, for its public holidays (`common/holidays`). */
  departement: string | null;
  roles: Role[];
  /** The agent's structures, for the switcher shown when there are several. */
  structures: { id: string; name: string }[];
  selectStructure(structureId: string): void;
  refresh(): Promise<void>;
  /**
   * The server no longer knows the agent's session (idle or absolute timeout, logout in another
   * tab): the page stays as it is, under the "Votre session a expiré" dialog.
   */
  expired: boolean;
  /** After signing in again from that dialog: the new session (and its CSRF token) is read. */
  renewed(session: SessionView): void;
  /** After a logout: the session is forgotten here, whatever the server answered. */
  signedOut(): void;
}

const STRUCTURE_KEY = "passerelle.structure";

/**
 * A session that could not be read (the server or its database cannot answer) is read again this
 * often, so that the page comes back by itself once Passerelle answers again.
 */
export const SESSION_RETRY_MS = 10_000;

const SessionContext = createContext<SessionState | null>(null);

/** The session and its CSRF token, or null when signed out (`authenticated: false`, or a 401). */
export async function fetchSession(): Promise<SessionView | null> {
  try {
    const read = await call(authRoutes.session);
    if (!read.authenticated) return null;
    const { authenticated: _, ...session } = read;
    setCsrfToken(session.csrfToken);
    return session;
  } catch (error) {
    // A user removed while signed in is still a 401 (GetSessionView).
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

/**
 * A session read again that the server no longer knows, while the agent was signed in: the page is
 * kept (its forms hold what was typed) and the expiry said, rather than the login page in its place.
 */
async function readSession(queryClient: QueryClient, expire: () => void): Promise<SessionView | null> {
  const session = await fetchSession();
  const known = queryClient.getQueryData<SessionView | null>(["session"]);
  if (session === null && known?.stage === "active") {
    expire();
    return known;
  }
  return session;
}

export function SessionProvider({ children }: { children: (state: SessionState) => ReactNode }): ReactNode {
  const queryClient = useQueryClient();
  const [expired, setExpired] = useState(false);
  const query = useQuery({
    queryKey: ["session"],
    queryFn: () => readSession(queryClient, () => setExpired(true)),
    staleTime: 60_000,
    // Unread (a 503 or no answer at all, never a 401): tried again until Passerelle answers.
    refetchInterval: (q) =>
      q.state.status === "error" && q.state.data === undefined ? SESSION_RETRY_MS : false,
  });
  // A call refused with a 401 while the agent was signed in: their session has expired.
  useEffect(
    () =>
      onSessionExpired(() => {
        if (queryClient.getQueryData<SessionView | null>(["session"])?.stage === "active") setExpired(true);
      }),
    [queryClient],
  );
  // A session open here: the other tabs showing the expiry dialog read theirs again.
  const activeUser = query.data?.stage === "active" && !expired ? query.data.user.id : null;
  useEffect(() => {
    if (activeUser) announceSignedIn();
  }, [activeUser]);
  const [chosen, setChosen] = useState(() => localStorage.getItem(STRUCTURE_KEY));
  if (query.isPending) return <p className="fr-container fr-my-4w">Chargement…</p>;
  // Only a 401 means "logged out": a server or database that cannot answer (503) keeps the agent
  // signed in, says so, and lets them retry.
  if (query.isError && query.data === undefined)
    return <SessionUnavailable error={query.error} retry={() => void query.refetch()} />;
  const session = query.data ?? null;
  const memberships = session?.memberships ?? [];
  const structures = [
    ...new Map(
      memberships.map((m) => [
        m.structureId,
        {
          id: m.structureId,
          // A partner referent reads their own organisation's name, not the structure's.
          name:
            memberships.find((p) => p.structureId === m.structureId && p.partnerName)?.partnerName ??
            m.structureName,
        },
      ]),
    ).values(),
  ];
  const current = structures.find((s) => s.id === chosen) ?? structures[0];
  const state: SessionState = {
    session,
    structureId: current?.id ?? null,
    structureName: current?.name ?? null,
    departement: memberships.find((m) => m.structureId === current?.id)?.structureDepartement ?? null,
    roles: [...new Set(memberships.filter((m) => m.structureId === current?.id).map((m) => m.role))],
    structures,
    selectStructure: (structureId) => {
      localStorage.setItem(STRUCTURE_KEY, structureId);
      setChosen(structureId);
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== "session" });
    },
    refresh: async () => {
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== "session" });
      await queryClient.invalidateQueries({ queryKey: ["session"] });
    },
    expired,
    renewed: (renewedSession) => {
      queryClient.setQueryData(["session"], renewedSession);
      setExpired(false);
      // The reads refused while signed out are made again; the forms keep what was typed.
      void queryClient.refetchQueries({ predicate: (q) => q.state.status === "error" });
    },
    signedOut: () => {
      setExpired(false);
      setCsrfToken("");
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== "session" });
      queryClient.setQueryData(["session"], null);
    },
  };
  return <SessionContext.Provider value={state}>{children(state)}</SessionContext.Provider>;
}

/**
 * The session could not be read: the agent is still signed in (only a 401 signs out), is told so, and
 * the page comes back by itself once Passerelle answers (`SESSION_RETRY_MS`) or from « Réessayer ».
 * A page of its own: its title, one h1, in the main landmark the skip link and announcer expect.
 */
function SessionUnavailable({ error, retry }: { error: unknown; retry: () => void }): ReactNode {
  usePageTitle("Passerelle ne répond pas pour l'instant");
  const apiError = error instanceof ApiError ? error : null;
  return (
    <main id="contenu" className="fr-container fr-my-4w" tabIndex={-1}>
      <h1>Passerelle ne répond pas pour l'instant</h1>
      <Alert
        severity="warning"
        small
        description={
          <>
            {apiError?.message ?? "Le serveur ne répond pas. Réessayez dans un instant."} Votre session est
            conservée : la page s'affichera d'elle-même dès que Passerelle répondra.
            {apiError?.body.requestId && <> (référence : {apiError.body.requestId})</>}
          </>
        }
        className="fr-mb-3w"
      />
      <Button onClick={retry}>Réessayer</Button>
    </main>
  );
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error("useSession outside SessionProvider");
  return state;
}
