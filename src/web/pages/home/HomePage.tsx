import { Accordion } from "@codegouvfr/react-dsfr/Accordion";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { CallOut } from "@codegouvfr/react-dsfr/CallOut";
import { useQuery } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { Link } from "react-router";
import { agendaRoutes } from "../../../common/agenda/agenda.routes";
import { notificationsRoutes } from "../../../common/notifications/notifications.routes";
import { peopleRoutes } from "../../../common/people/people.routes";
import { plural } from "../../../common/plural";
import { PROTECTED_COUNTS_NOTICE } from "../../../common/reporting/protection";
import {
  demarcheCategoryLabels,
  type PersonStatus,
  personStatusLabels,
  roleLabels,
  siteKindLabels,
} from "../../../common/roles";
import { structuresRoutes } from "../../../common/structures/structures.routes";
import { call } from "../../api/client";
import { useSession } from "../../api/session";
import { formatPhone } from "../../components/dates";
import { ErrorAlert } from "../../components/ErrorAlert";
import { StructureChoice } from "../../components/Layout";
import { usePageTitle } from "../../components/pageTitle";
import { ScrollableTable } from "../../components/ScrollableTable";
import { PartnerActions } from "../actions/PartnerActions";
import { ConventionAlerts } from "../conventions/ConventionAlerts";
import { ArchiveList } from "../newsletter/ArchivePage";
import { failureSummary, uncertainExplanation } from "../notifications/failureSummary";
import { InboxSummary, PartnerInbox } from "../orientations/PartnerInbox";
import { PeopleTable } from "../people/PeopleTable";
import { AlertsSection } from "./AlertsSection";
import { FirstSteps } from "./FirstSteps";
import { HomeNews } from "./HomeNews";
import { HOME_FIRST_PEOPLE } from "./ShowAll";
import { SteeringCommittee } from "./SteeringCommittee";
import { TodayPermanence } from "./TodayPermanence";
import { toFillInText } from "./toFillIn";
import { UntrainedInPools } from "./UntrainedInPools";

const shown = (n: number | null): string => (n === null ? "< 5" : String(n));

/** The next people convoked; the whole caseload is on the people page. */
function MyPeople(): ReactNode {
  const query = useQuery({
    queryKey: ["people", "mine", "nextConvocation"],
    queryFn: () => call(peopleRoutes.list, { query: { mine: "true", sort: "nextConvocation" } }),
  });
  const total = query.data?.total ?? 0;
  const people = query.data?.people.slice(0, HOME_FIRST_PEOPLE) ?? [];
  return (
    <section className="fr-mb-6w" aria-labelledby="my-people-title">
      <h2 id="my-people-title">Les personnes dont je suis référent</h2>
      <ErrorAlert error={query.error} />
      {total > people.length && (
        <p>
          Les {people.length} premières par date de prochaine convocation, sur {total}.
        </p>
      )}
      {query.data && (
        <PeopleTable
          people={people}
          caption="Les personnes dont je suis référent"
          emptyText="Vous n'êtes référent d'aucune personne pour l'instant."
        />
      )}
      {total > people.length && (
        <p>
          <Link to="/personnes?mine=true&sort=nextConvocation">
            Voir les {total} personnes dont je suis référent
          </Link>
        </p>
      )}
    </section>
  );
}

/** The structure's counts: exact for its direction, protected (cell-key, "< 5") for the others (ADR 0019). */
function StructureFigures({ structureId, exact }: { structureId: string; exact: boolean }): ReactNode {
  const query = useQuery({
    queryKey: ["structure", structureId, "stats"],
    queryFn: () => call(structuresRoutes.stats, { params: { structureId } }),
  });
  if (query.error) return <ErrorAlert error={query.error} />;
  if (!query.data) return <p>Chargement…</p>;
  const stats = query.data;
  return (
    <section className="fr-mb-6w">
      <h2>La structure en chiffres</h2>
      <p className="fr-text--sm">
        {exact
          ? "Chiffres exacts, réservés à la direction de la structure : ne les diffusez pas tels quels."
          : PROTECTED_COUNTS_NOTICE}
      </p>
      <ScrollableTable
        caption="Personnes suivies (dossiers ouverts) par situation"
        headers={["Situation", "Personnes"]}
        data={[
          ...stats.byStatus.map((row) => [
            personStatusLabels[row.status as PersonStatus] ?? row.status,
            shown(row.count),
          ]),
          ["Total des dossiers ouverts", shown(stats.peopleFollowed)],
        ]}
      />
      {/* Not a situation: said apart from the table, with the structure's means. */}
      <p>
        Mesures se terminant dans les 60 jours : <strong>{shown(stats.measuresEndingWithin60Days)}</strong>.
        <br />
        {plural(stats.sites, "lieu de permanence", "lieux de permanence")},{" "}
        {plural(stats.agents, "agent", "agents")}.
      </p>
    </section>
  );
}

/** Under 48 em (the DSFR's md breakpoint), reference lists of the home are folded at first. */
const wideScreen = (): boolean =>
  typeof window === "undefined" || window.matchMedia("(min-width: 48em)").matches;

function StructureSites({ structureId }: { structureId: string }): ReactNode {
  const query = useQuery({
    queryKey: ["structure", structureId],
    queryFn: () => call(structuresRoutes.overview, { params: { structureId } }),
  });
  // Reference more than news: on a phone the list of sites (a tall block each) opens on demand.
  const [expanded, setExpanded] = useState(wideScreen);
  if (!query.data) return <ErrorAlert error={query.error} />;
  const s = query.data;
  return (
    <section className="fr-mb-6w" aria-labelledby="sites-title">
      <h2 id="sites-title">Lieux de permanence</h2>
      <p>
        Structure labellisée n° {s.labelNumber} (département {s.departement}), portée par{" "}
        {s.coHolders.join(" et ")}.
      </p>
      <Accordion
        label={`Les ${s.sites.length} lieux de la structure : adresses et téléphones`}
        expanded={expanded}
        onExpandedChange={setExpanded}
      >
        <ScrollableTable
          stacked
          caption="Lieux de la structure"
          headers={["Lieu", "Type", "Adresse", "Téléphone"]}
          data={s.sites.map((site) => [
            site.name,
            siteKindLabels[site.kind],
            site.address,
            formatPhone(site.phone),
          ])}
        />
      </Accordion>
    </section>
  );
}

function Catalogue(): ReactNode {
  const query = useQuery({ queryKey: ["catalogue"], queryFn: () => call(structuresRoutes.catalogue) });
  if (!query.data) return <ErrorAlert error={query.error} />;
  return (
    <section className="fr-mb-6w">
      <h2>Catalogue des partenaires et démarches</h2>
      <ScrollableTable
        stacked
        caption="Partenaires France services"
        headers={["Partenaire", "Démarches au catalogue"]}
        data={query.data.partners.map((p) => [
          p.name,
          p.demarcheTypes.map((d) => `${d.label} (${demarcheCategoryLabels[d.category]})`).join(" ; ") || "—",
        ])}
      />
    </section>
  );
}

function ToFillIn(): ReactNode {
  const query = useQuery({
    queryKey: ["convocations", "toFillIn", ""],
    queryFn: () => call(agendaRoutes.list, { query: { toFillIn: "true" } }),
  });
  const convocations = query.data?.convocations;
  return (
    <CallOut title="Convocations" className="fr-mb-4w">
      {convocations === undefined ? "Chargement…" : toFillInText(convocations)}{" "}
      <Link to="/convocations">Voir les convocations</Link>
    </CallOut>
  );
}

/** Messages that could not be sent, or may not have arrived: the people may not know of their appointment. */
function FailedNotifications({ structureId }: { structureId: string }): ReactNode {
  const query = useQuery({
    queryKey: ["notifications", structureId, "failed", ""],
    queryFn: () => call(notificationsRoutes.log, { params: { structureId }, query: { status: "failed" } }),
  });
  const failed = query.data?.failedLast7Days ?? 0;
  const uncertain = query.data?.uncertainLast7Days ?? 0;
  if (failed + uncertain === 0) return null;
  return (
    <Alert
      severity="error"
      className="fr-mb-4w"
      title={`SMS ou courriels de convocation ces 7 derniers jours : ${failureSummary(failed, uncertain)}`}
      description={
        <>
          Les personnes concernées n'ont peut-être pas été prévenues.
          {uncertain > 0 && ` ${uncertainExplanation}`}{" "}
          <Link to="/notifications">Voir le journal des envois</Link>
        </>
      }
    />
  );
}

export function HomePage(): ReactNode {
  usePageTitle("Accueil");
  const { session, roles, structureId, structureName } = useSession();
  if (!session) return null;
  if (!structureId) {
    return (
      <>
        <h1>Bonjour {session.user.displayName}</h1>
        <p>Votre compte n'est rattaché à aucune structure. Contactez la direction de votre service.</p>
      </>
    );
  }
  return (
    <>
      <h1>Bonjour {session.user.displayName}</h1>
      <p className="fr-text--lead">
        {structureName} — {roles.map((r) => roleLabels[r]).join(", ")}
      </p>
      <StructureChoice />
      {roles.includes("counselor") && <TodayPermanence />}
      {/* What asks for action first (alerts, convocations to fill in), then the news and the caseload. */}
      {(roles.includes("probation_officer") || roles.includes("counselor")) && <AlertsSection />}
      {roles.includes("probation_officer") && (
        <>
          <ToFillIn />
          <HomeNews referent />
          <MyPeople />
        </>
      )}
      {roles.includes("counselor") && (
        <>
          {!roles.includes("probation_officer") && (
            <>
              <ToFillIn />
              {/* The answers to the orientations she sent; a CPIP reads them in their own news above. */}
              <HomeNews referent={false} />
            </>
          )}
          <p>
            <Link to="/personnes">Voir les personnes suivies par la structure</Link>
          </p>
          <StructureSites structureId={structureId} />
        </>
      )}
      {roles.includes("service_manager") && (
        <>
          {/* A structure just set up: what to do before a CPIP can convoke, until it is done. */}
          <FirstSteps structureId={structureId} />
          <FailedNotifications structureId={structureId} />
          <ConventionAlerts structureId={structureId} />
          <UntrainedInPools structureId={structureId} />
          <StructureFigures structureId={structureId} exact={roles.includes("service_manager")} />
          {/* The section's own bottom margin, as every home section's: the committee's heading follows. */}
          <ul className="fr-mb-6w">
            <li>
              <Link to="/agents">Gérer les agents de la structure</Link>
            </li>
            <li>
              <Link to="/pilotage">Piloter l'activité : tableau de bord, rapport du comité, exports</Link>
            </li>
            <li>
              <Link to="/journal">Consulter le journal des accès</Link>
            </li>
            <li>
              <Link to="/conventions">Suivre les conventions de partenariat</Link>
            </li>
            <li>
              <Link to="/annuaire">Tenir à jour l'annuaire des partenaires</Link>
            </li>
            <li>
              <Link to="/notifications">Suivre les SMS et courriels envoyés, modifier les messages</Link>
            </li>
            <li>
              <Link to="/lettre-information">
                Composer et envoyer la lettre d'information aux partenaires
              </Link>
            </li>
          </ul>
          <SteeringCommittee structureId={structureId} manage />
        </>
      )}
      {roles.includes("steering") && (
        <>
          <StructureFigures structureId={structureId} exact={roles.includes("service_manager")} />
          <p className="fr-mb-6w">
            <Link to="/pilotage" className="fr-btn">
              Ouvrir le tableau de bord du comité de pilotage
            </Link>
          </p>
          {!roles.includes("service_manager") && (
            <SteeringCommittee structureId={structureId} manage={false} />
          )}
        </>
      )}
      {roles.includes("partner_referent") && (
        <>
          <PartnerInbox />
          <PartnerActions />
          <ArchiveList limit={3} />
        </>
      )}
      {roles.includes("mediator") && (
        <section className="fr-mb-6w" aria-labelledby="mediation-title">
          <h2 id="mediation-title">Réorientations vers la médiation</h2>
          <InboxSummary />
          <p>
            <Link to="/mediation" className="fr-btn">
              Ouvrir les réorientations vers la médiation
            </Link>
          </p>
        </section>
      )}
      {roles.includes("admin") && (
        <>
          <StructureSites structureId={structureId} />
          <Catalogue />
        </>
      )}
    </>
  );
}
