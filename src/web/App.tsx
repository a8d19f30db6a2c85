import { Component, type ComponentType, lazy, type ReactNode, Suspense } from "react";
import { Navigate, Route, Routes, useLocation } from "react-router";
import type { Role } from "../common/roles";
import { SessionProvider, useSession } from "./api/session";
import { isChunkLoadError } from "./components/chunkLoad";
import { Layout } from "./components/Layout";
import { LoginPage } from "./pages/auth/LoginPage";
import { ErrorPage, ForbiddenPage, NotFoundPage, UnreachablePage } from "./pages/errors/ErrorPages";

/**
 * Every page but the login one is its own chunk, loaded when first visited: the login page downloads
 * only the shell (and the chart and calendar libraries stay out of it).
 */
function page<K extends string>(load: () => Promise<Record<K, () => ReactNode>>, name: K): ComponentType {
  return lazy(async () => {
    const Page: () => ReactNode = (await load())[name];
    return { default: Page };
  });
}

const ActionsPage = page(() => import("./pages/actions/ActionsPage"), "ActionsPage");
const ActionPage = page(() => import("./pages/actions/ActionPage"), "ActionPage");
const ActionFormPage = page(() => import("./pages/actions/ActionFormPage"), "ActionFormPage");
const InvitationPage = page(() => import("./pages/actions/InvitationPage"), "InvitationPage");
const VisitPage = page(() => import("./pages/accompaniment/VisitPage"), "VisitPage");
const PasswordChangeRequired = page(
  () => import("./pages/account/PasswordChangeRequired"),
  "PasswordChangeRequired",
);
const AccountPage = page(() => import("./pages/account/AccountPage"), "AccountPage");
const AgendaPage = page(() => import("./pages/agenda/AgendaPage"), "AgendaPage");
const BookingPage = page(() => import("./pages/agenda/BookingPage"), "BookingPage");
const OpeningsPage = page(() => import("./pages/agenda/OpeningsPage"), "OpeningsPage");
const ReschedulePage = page(() => import("./pages/agenda/ReschedulePage"), "ReschedulePage");
const AuditPage = page(() => import("./pages/audit/AuditPage"), "AuditPage");
const ActivationPage = page(() => import("./pages/auth/ActivationPage"), "ActivationPage");
const ForgotPasswordPage = page(() => import("./pages/auth/ForgotPasswordPage"), "ForgotPasswordPage");
const NewPasswordPage = page(() => import("./pages/auth/NewPasswordPage"), "NewPasswordPage");
const ProConnectRefusalPage = page(
  () => import("./pages/auth/ProConnectRefusalPage"),
  "ProConnectRefusalPage",
);
const DirectoryPage = page(() => import("./pages/directory/DirectoryPage"), "DirectoryPage");
const DirectoryEntryPage = page(() => import("./pages/directory/DirectoryEntryPage"), "DirectoryEntryPage");
const NewDirectoryEntryPage = page(
  () => import("./pages/directory/DirectoryEntryPage"),
  "NewDirectoryEntryPage",
);
const ConventionsPage = page(() => import("./pages/conventions/ConventionsPage"), "ConventionsPage");
const ConventionPage = page(() => import("./pages/conventions/ConventionPage"), "ConventionPage");
const NewConventionPage = page(() => import("./pages/conventions/ConventionPage"), "NewConventionPage");
const CataloguePage = page(() => import("./pages/catalogue/CataloguePage"), "CataloguePage");
const DetentionPage = page(() => import("./pages/detention/DetentionPage"), "DetentionPage");
const ImportPage = page(() => import("./pages/imports/ImportPage"), "ImportPage");
const HomePage = page(() => import("./pages/home/HomePage"), "HomePage");
const NotificationsPage = page(() => import("./pages/notifications/NotificationsPage"), "NotificationsPage");
const RetentionPage = page(() => import("./pages/retention/RetentionPage"), "RetentionPage");
const NewsletterListPage = page(() => import("./pages/newsletter/NewsletterListPage"), "NewsletterListPage");
const NewsletterIssuePage = page(
  () => import("./pages/newsletter/NewsletterIssuePage"),
  "NewsletterIssuePage",
);
const ArchivePage = page(() => import("./pages/newsletter/ArchivePage"), "ArchivePage");
const UnsubscribePage = page(() => import("./pages/newsletter/UnsubscribePage"), "UnsubscribePage");
const StopSmsPage = page(() => import("./pages/notifications/StopSmsPage"), "StopSmsPage");
const EditPersonPage = page(() => import("./pages/people/EditPersonPage"), "EditPersonPage");
const NewPersonPage = page(() => import("./pages/people/NewPersonPage"), "NewPersonPage");
const PeoplePage = page(() => import("./pages/people/PeoplePage"), "PeoplePage");
const PersonPage = page(() => import("./pages/people/PersonPage"), "PersonPage");
const HandoverPage = page(() => import("./pages/handover/HandoverPage"), "HandoverPage");
const HandoverMeetingPage = page(() => import("./pages/handover/HandoverMeetingPage"), "HandoverMeetingPage");
const TransferPage = page(() => import("./pages/handover/TransferPage"), "TransferPage");
const TransfersInboxPage = page(() => import("./pages/handover/TransfersInboxPage"), "TransfersInboxPage");
const TransmissionsPage = page(() => import("./pages/handover/TransmissionsPage"), "TransmissionsPage");
const UsersPage = page(() => import("./pages/users/UsersPage"), "UsersPage");
const AccountsPage = page(() => import("./pages/admin/AccountsPage"), "AccountsPage");
const StructurePage = page(() => import("./pages/structure/StructurePage"), "StructurePage");
const SteeringPage = lazy(() => import("./pages/steering/SteeringPage"));
const MediationPage = lazy(() => import("./pages/orientations/MediationPage"));
const LegalNoticePage = page(() => import("./pages/legal/LegalNoticePage"), "LegalNoticePage");
const PersonalDataPage = page(() => import("./pages/legal/PersonalDataPage"), "PersonalDataPage");
const AccessibilityPage = page(() => import("./pages/legal/AccessibilityPage"), "AccessibilityPage");

const NEWSLETTER_READERS: Role[] = [
  "service_manager",
  "probation_officer",
  "counselor",
  "mediator",
  "partner_referent",
];

interface BoundaryProps {
  children: ReactNode;
  /** The page's address: going to another page leaves a failure behind. */
  pathname: string;
}

class ErrorBoundary extends Component<BoundaryProps, { error: unknown; failedAt: string | null }> {
  override state = { error: null as unknown, failedAt: null as string | null };
  static getDerivedStateFromError(error: unknown): { error: unknown } {
    return { error };
  }
  static getDerivedStateFromProps(
    props: BoundaryProps,
    state: { error: unknown; failedAt: string | null },
  ): { error: unknown; failedAt: string | null } | null {
    if (state.error === null) return null;
    if (state.failedAt === null) return { error: state.error, failedAt: props.pathname };
    return state.failedAt === props.pathname ? null : { error: null, failedAt: null };
  }
  override render(): ReactNode {
    if (this.state.error === null) return this.props.children;
    return isChunkLoadError(this.state.error) ? <UnreachablePage /> : <ErrorPage />;
  }
}

function PageErrorBoundary({ children }: { children: ReactNode }): ReactNode {
  return <ErrorBoundary pathname={useLocation().pathname}>{children}</ErrorBoundary>;
}

/** A page for fully logged-in agents holding one of `roles` (the server checks again). */
function Guard({ roles, children }: { roles?: Role[]; children: ReactNode }): ReactNode {
  const { session, roles: held } = useSession();
  const location = useLocation();
  // Back to this page once signed in.
  if (session?.stage !== "active")
    return <Navigate to="/connexion" replace state={{ from: location.pathname + location.search }} />;
  if (session.mustChangePassword) return <PasswordChangeRequired />;
  if (roles && !roles.some((r) => held.includes(r))) return <ForbiddenPage roles={roles} />;
  return children;
}

export function App(): ReactNode {
  return (
    <SessionProvider>
      {() => (
        <Layout>
          <PageErrorBoundary>
            <Suspense fallback={<p>Chargement de la page…</p>}>
              <Routes>
                <Route path="/connexion" element={<LoginPage />} />
                <Route path="/connexion/proconnect/:motif" element={<ProConnectRefusalPage />} />
                <Route path="/stop/:token" element={<StopSmsPage />} />
                <Route path="/desabonnement/:token" element={<UnsubscribePage />} />
                <Route
                  path="/lettre-information"
                  element={
                    <Guard roles={["service_manager"]}>
                      <NewsletterListPage />
                    </Guard>
                  }
                />
                <Route
                  path="/lettre-information/nouvelle"
                  element={
                    <Guard roles={["service_manager"]}>
                      <NewsletterIssuePage />
                    </Guard>
                  }
                />
                <Route
                  path="/lettre-information/:issueId"
                  element={
                    <Guard roles={["service_manager"]}>
                      <NewsletterIssuePage />
                    </Guard>
                  }
                />
                <Route
                  path="/lettres"
                  element={
                    <Guard roles={NEWSLETTER_READERS}>
                      <ArchivePage />
                    </Guard>
                  }
                />
                <Route
                  path="/lettres/:issueId"
                  element={
                    <Guard roles={NEWSLETTER_READERS}>
                      <ArchivePage />
                    </Guard>
                  }
                />
                <Route path="/invitation/:token" element={<InvitationPage />} />
                <Route
                  path="/actions"
                  element={
                    <Guard roles={["probation_officer", "counselor", "service_manager"]}>
                      <ActionsPage />
                    </Guard>
                  }
                />
                <Route
                  path="/actions/nouvelle"
                  element={
                    <Guard roles={["counselor", "service_manager"]}>
                      <ActionFormPage />
                    </Guard>
                  }
                />
                <Route
                  path="/actions/:actionId"
                  element={
                    <Guard roles={["probation_officer", "counselor", "service_manager"]}>
                      <ActionPage />
                    </Guard>
                  }
                />
                <Route
                  path="/actions/:actionId/modifier"
                  element={
                    <Guard roles={["counselor", "service_manager"]}>
                      <ActionFormPage />
                    </Guard>
                  }
                />
                <Route path="/activation" element={<ActivationPage />} />
                <Route path="/mot-de-passe-oublie" element={<ForgotPasswordPage />} />
                <Route path="/nouveau-mot-de-passe" element={<NewPasswordPage />} />
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
                  path="/personnes/:personId/passage-de-relais"
                  element={
                    <Guard roles={["probation_officer", "counselor", "service_manager"]}>
                      <HandoverPage />
                    </Guard>
                  }
                />
                <Route
                  path="/reunions-de-relais/:handoverId"
                  element={
                    <Guard roles={["probation_officer", "counselor", "service_manager"]}>
                      <HandoverMeetingPage />
                    </Guard>
                  }
                />
                <Route
                  path="/personnes/:personId/transfert"
                  element={
                    <Guard roles={["probation_officer", "service_manager"]}>
                      <TransferPage />
                    </Guard>
                  }
                />
                <Route
                  path="/transferts-recus"
                  element={
                    <Guard roles={["probation_officer", "service_manager"]}>
                      <TransfersInboxPage />
                    </Guard>
                  }
                />
                <Route
                  path="/dossiers-transmis"
                  element={
                    <Guard roles={["probation_officer", "service_manager"]}>
                      <TransmissionsPage />
                    </Guard>
                  }
                />
                <Route
                  path="/personnes/:personId/modifier"
                  element={
                    <Guard roles={["probation_officer", "counselor", "service_manager"]}>
                      <EditPersonPage />
                    </Guard>
                  }
                />
                <Route
                  path="/personnes/importer"
                  element={
                    <Guard roles={["probation_officer", "service_manager"]}>
                      <ImportPage />
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
                  path="/milieu-ferme"
                  element={
                    <Guard roles={["probation_officer", "service_manager"]}>
                      <DetentionPage />
                    </Guard>
                  }
                />
                <Route
                  path="/mediation"
                  element={
                    <Guard roles={["mediator"]}>
                      <MediationPage />
                    </Guard>
                  }
                />
                <Route
                  path="/pilotage"
                  element={
                    <Guard roles={["steering", "service_manager"]}>
                      <SteeringPage />
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
                  path="/annuaire"
                  element={
                    <Guard roles={["probation_officer", "counselor", "service_manager"]}>
                      <DirectoryPage />
                    </Guard>
                  }
                />
                <Route
                  path="/annuaire/nouvelle"
                  element={
                    <Guard roles={["service_manager"]}>
                      <NewDirectoryEntryPage />
                    </Guard>
                  }
                />
                <Route
                  path="/annuaire/:entryId"
                  element={
                    <Guard roles={["probation_officer", "counselor", "service_manager"]}>
                      <DirectoryEntryPage />
                    </Guard>
                  }
                />
                <Route
                  path="/conventions"
                  element={
                    <Guard roles={["probation_officer", "counselor", "service_manager"]}>
                      <ConventionsPage />
                    </Guard>
                  }
                />
                <Route
                  path="/conventions/nouvelle"
                  element={
                    <Guard roles={["service_manager"]}>
                      <NewConventionPage />
                    </Guard>
                  }
                />
                <Route
                  path="/conventions/:conventionId"
                  element={
                    <Guard roles={["probation_officer", "counselor", "service_manager"]}>
                      <ConventionPage />
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
                  path="/structure"
                  element={
                    <Guard roles={["service_manager", "admin"]}>
                      <StructurePage />
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
                  path="/comptes"
                  element={
                    <Guard roles={["admin"]}>
                      <AccountsPage />
                    </Guard>
                  }
                />
                <Route
                  path="/direction/conservation"
                  element={
                    <Guard roles={["service_manager"]}>
                      <RetentionPage />
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
                <Route path="/mentions-legales" element={<LegalNoticePage />} />
                <Route path="/donnees-personnelles" element={<PersonalDataPage />} />
                <Route path="/accessibilite" element={<AccessibilityPage />} />
                <Route path="*" element={<NotFoundPage />} />
              </Routes>
            </Suspense>
          </PageErrorBoundary>
        </Layout>
      )}
    </SessionProvider>
  );
}
