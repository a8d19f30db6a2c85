import { Component, lazy, type ReactNode, Suspense } from "react";
import { Navigate, Route, Routes } from "react-router";
import type { Role } from "../common/roles";
import { SessionProvider, useSession } from "./api/session";
import { Layout } from "./components/Layout";
import { VisitPage } from "./pages/accompaniment/VisitPage";
import { AccountPage, ChangePassword } from "./pages/account/AccountPage";
import { AgendaPage } from "./pages/agenda/AgendaPage";
import { BookingPage } from "./pages/agenda/BookingPage";
import { OpeningsPage } from "./pages/agenda/OpeningsPage";
import { ReschedulePage } from "./pages/agenda/ReschedulePage";
import { AuditPage } from "./pages/audit/AuditPage";
import { ActivationPage } from "./pages/auth/ActivationPage";
import { LoginPage } from "./pages/auth/LoginPage";
import { CataloguePage } from "./pages/catalogue/CataloguePage";
import { ErrorPage, NotFoundPage } from "./pages/errors/ErrorPages";
import { HomePage } from "./pages/home/HomePage";
import { NotificationsPage } from "./pages/notifications/NotificationsPage";
import { StopSmsPage } from "./pages/notifications/StopSmsPage";
import { NewPersonPage } from "./pages/people/NewPersonPage";
import { PeoplePage } from "./pages/people/PeoplePage";
import { PersonPage } from "./pages/people/PersonPage";
import { UsersPage } from "./pages/users/UsersPage";

/** Loaded on demand: the chart library stays out of the first download. */
const SteeringPage = lazy(() => import("./pages/steering/SteeringPage"));

class ErrorBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }
  override render(): ReactNode {
    return this.state.failed ? <ErrorPage /> : this.props.children;
  }
}

/** Signed in with a temporary password given by the direction: nothing else until a new one is chosen. */
function PasswordChangeRequired(): ReactNode {
  const { refresh } = useSession();
  return (
    <>
      <h1>Choisissez votre mot de passe</h1>
      <p>
        Le mot de passe avec lequel vous vous êtes connecté est provisoire : il vous a été donné par la
        direction. Choisissez-en un nouveau pour continuer.
      </p>
      <ChangePassword onChanged={() => void refresh()} />
    </>
  );
}

/** A page for fully logged-in agents holding one of `roles` (the server checks again). */
function Guard({ roles, children }: { roles?: Role[]; children: ReactNode }): ReactNode {
  const { session, roles: held } = useSession();
  if (session?.stage !== "active") return <Navigate to="/connexion" replace />;
  if (session.mustChangePassword) return <PasswordChangeRequired />;
  if (roles && !roles.some((r) => held.includes(r))) return <NotFoundPage />;
  return children;
}

export function App(): ReactNode {
  return (
    <SessionProvider>
      {() => (
        <Layout>
          <ErrorBoundary>
            <Routes>
              <Route path="/connexion" element={<LoginPage />} />
              <Route path="/stop/:token" element={<StopSmsPage />} />
              <Route path="/activation" element={<ActivationPage />} />
              <Route
                path="/"
                element={
                  <Guard>
                    <HomePage />
                  </Guard>
                }
              />
              <Route
                path="/personnes"
                element={
                  <Guard roles={["probation_officer", "counselor", "service_manager"]}>
                    <PeoplePage />
                  </Guard>
                }
              />
              <Route
                path="/personnes/:personId"
                element={
                  <Guard roles={["probation_officer", "counselor", "service_manager"]}>
                    <PersonPage />
                  </Guard>
                }
              />
              <Route
                path="/personnes/nouvelle"
                element={
                  <Guard roles={["probation_officer"]}>
                    <NewPersonPage />
                  </Guard>
                }
              />
              <Route
                path="/personnes/:personId/convocations/:convocationId/reporter"
                element={
                  <Guard roles={["probation_officer", "service_manager"]}>
                    <ReschedulePage />
                  </Guard>
                }
              />
              <Route
                path="/personnes/:personId/convocations/:convocationId/visite"
                element={
                  <Guard roles={["counselor", "service_manager"]}>
                    <VisitPage />
                  </Guard>
                }
              />
              <Route
                path="/personnes/:personId/convoquer"
                element={
                  <Guard roles={["probation_officer", "service_manager"]}>
                    <BookingPage />
                  </Guard>
                }
              />
              <Route
                path="/permanences"
                element={
                  <Guard roles={["service_manager"]}>
                    <OpeningsPage />
                  </Guard>
                }
              />
              <Route
                path="/convocations"
                element={
                  <Guard roles={["probation_officer", "counselor", "service_manager"]}>
                    <AgendaPage />
                  </Guard>
                }
              />
              <Route
                path="/pilotage"
                element={
                  <Guard roles={["steering", "service_manager"]}>
                    <Suspense fallback={<p>Chargement du tableau de bord…</p>}>
                      <SteeringPage />
                    </Suspense>
                  </Guard>
                }
              />
              <Route
                path="/notifications"
                element={
                  <Guard roles={["service_manager"]}>
                    <NotificationsPage />
                  </Guard>
                }
              />
              <Route
                path="/catalogue"
                element={
                  <Guard roles={["admin"]}>
                    <CataloguePage />
                  </Guard>
                }
              />
              <Route
                path="/agents"
                element={
                  <Guard roles={["service_manager", "admin"]}>
                    <UsersPage />
                  </Guard>
                }
              />
              <Route
                path="/journal"
                element={
                  <Guard roles={["service_manager"]}>
                    <AuditPage />
                  </Guard>
                }
              />
              <Route
                path="/compte"
                element={
                  <Guard>
                    <AccountPage />
                  </Guard>
                }
              />
              <Route path="*" element={<NotFoundPage />} />
            </Routes>
          </ErrorBoundary>
        </Layout>
      )}
    </SessionProvider>
  );
}
