import { useQuery, useQueryClient } from "@tanstack/react-query";
import { createContext, type ReactNode, useContext } from "react";
import { authRoutes } from "../../common/auth/auth.routes";
import type { SessionView } from "../../common/auth/auth.schema";
import type { Role } from "../../common/roles";
import { ApiError, call, setCsrfToken } from "./client";

export interface SessionState {
  session: SessionView | null;
  /** The structure the agent works in (the first of their memberships). */
  structureId: string | null;
  structureName: string | null;
  roles: Role[];
  refresh(): Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);

async function fetchSession(): Promise<SessionView | null> {
  try {
    const session = await call(authRoutes.session);
    setCsrfToken(session.csrfToken);
    return session;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export function SessionProvider({ children }: { children: (state: SessionState) => ReactNode }): ReactNode {
  const queryClient = useQueryClient();
  const query = useQuery({ queryKey: ["session"], queryFn: fetchSession, staleTime: 60_000 });
  if (query.isPending) return <p className="fr-container fr-my-4w">Chargement…</p>;
  const session = query.data ?? null;
  const first = session?.memberships[0];
  const state: SessionState = {
    session,
    structureId: first?.structureId ?? null,
    structureName: first?.structureName ?? null,
    roles: session
      ? [
          ...new Set(
            session.memberships.filter((m) => m.structureId === first?.structureId).map((m) => m.role),
          ),
        ]
      : [],
    refresh: async () => {
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== "session" });
      await queryClient.invalidateQueries({ queryKey: ["session"] });
    },
  };
  return <SessionContext.Provider value={state}>{children(state)}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error("useSession outside SessionProvider");
  return state;
}
