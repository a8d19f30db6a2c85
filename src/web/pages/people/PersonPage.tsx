import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Notice } from "@codegouvfr/react-dsfr/Notice";
import { Table } from "@codegouvfr/react-dsfr/Table";
import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Link, useParams } from "react-router";
import { agendaRoutes } from "../../../common/agenda/agenda.routes";
import { peopleRoutes } from "../../../common/people/people.routes";
import { readsFrenchLabels } from "../../../common/people/people.schema";
import { measureTypeLabels, personStatusLabels } from "../../../common/roles";
import { call } from "../../api/client";
import { useSession } from "../../api/session";
import { formatDate, formatDateTime } from "../../components/dates";
import { ErrorAlert } from "../../components/ErrorAlert";
import { AccompanimentSection } from "../accompaniment/AccompanimentSection";
import { ConvocationTable } from "../agenda/ConvocationTable";
import { OrientationsSection } from "../orientations/OrientationsSection";
import { ConsentPanel } from "./ConsentPanel";
import { MergePanel } from "./MergePanel";
import { NotesSection } from "./NotesSection";

/** What happened, newest first: convocations and their statuses, messages sent, opt-out. */
function Timeline({ personId }: { personId: string }): ReactNode {
  const query = useQuery({
    queryKey: ["convocations", "timeline", personId],
    queryFn: () => call(peopleRoutes.timeline, { params: { personId } }),
  });
  return (
    <>
      <h2>Historique</h2>
      <ErrorAlert error={query.error} />
      {query.data && query.data.events.length === 0 && <p>Rien pour l'instant.</p>}
      {query.data && query.data.events.length > 0 && (
        <Table
          caption="Historique de la personne"
          headers={["Quand", "Quoi", "Par"]}
          data={query.data.events.map((e) => [
            formatDateTime(e.at),
            <span key="what">
              {e.title}
              {e.detail && (
                <>
                  <br />
                  <span className="fr-text--xs">{e.detail}</span>
                </>
              )}
            </span>,
            e.actorName ?? (e.kind === "message" ? "Envoi automatique" : "La personne"),
          ])}
        />
      )}
    </>
  );
}

export function PersonPage(): ReactNode {
  const { personId = "" } = useParams();
  const { roles } = useSession();
  const query = useQuery({
    queryKey: ["people", personId],
    queryFn: () => call(peopleRoutes.get, { params: { personId } }),
  });
  const convocations = useQuery({
    queryKey: ["convocations", "person", personId],
    queryFn: () => call(agendaRoutes.list, { query: { personId } }),
  });
  if (query.error) return <ErrorAlert error={query.error} title="Dossier inaccessible" />;
  if (!query.data) return <p>Chargement…</p>;
  const p = query.data;
  return (
    <>
      <Breadcrumb
        currentPageLabel={`${p.lastName.toUpperCase()} ${p.firstName}`}
        segments={[{ label: "Personnes suivies", linkProps: { to: "/personnes" } }]}
      />
      <h1>
        {p.lastName.toUpperCase()} {p.firstName}
      </h1>
      <p>
        <Badge severity="info">{personStatusLabels[p.status]}</Badge>
      </p>
      <Notice
        title="Votre consultation de ce dossier est enregistrée dans le journal des accès."
        className="fr-mb-3w"
      />
      <ConsentPanel personId={p.id} />
      {roles.includes("service_manager") && (
        <MergePanel personId={p.id} name={`${p.lastName.toUpperCase()} ${p.firstName}`} />
      )}
      {p.permissions.edit && (
        <Link className="fr-btn fr-mb-3w" to={`/personnes/${p.id}/convoquer`}>
          Convoquer à une permanence
        </Link>
      )}
      <h2>Convocations</h2>
      <ErrorAlert error={convocations.error} />
      {convocations.data && (
        <ConvocationTable
          caption="Convocations de la personne"
          convocations={convocations.data.convocations}
          emptyText="Aucune convocation pour l'instant."
        />
      )}
      <AccompanimentSection personId={p.id} />
      <OrientationsSection personId={p.id} />
      <NotesSection personId={p.id} />
      <Timeline personId={p.id} />
      <h2>Identité et contact</h2>
      <dl>
        <dt className="fr-text--bold">Numéro de dossier</dt>
        <dd>n° {p.fileNumber}</dd>
        <dt className="fr-text--bold">Naissance</dt>
        <dd>
          {formatDate(p.birthDate)}
          {p.birthPlace ? ` à ${p.birthPlace}` : ""}
        </dd>
        <dt className="fr-text--bold">Téléphone</dt>
        <dd>{p.phone || "—"}</dd>
        <dt className="fr-text--bold">Adresse électronique</dt>
        <dd>{p.email || "—"}</dd>
        <dt className="fr-text--bold">Adresse</dt>
        <dd>{p.address || "—"}</dd>
        <dt className="fr-text--bold">Domiciliation</dt>
        <dd>{p.domiciliation || "—"}</dd>
        <dt className="fr-text--bold">Langue préférée, lecture du français</dt>
        <dd>
          {p.preferredLanguage}, lit le français : {readsFrenchLabels[p.readsFrench].toLowerCase()}
        </dd>
        <dt className="fr-text--bold">CPIP référent</dt>
        <dd>
          {p.referent
            ? `${p.referent.displayName} (depuis le ${formatDate(p.referent.since.slice(0, 10))})`
            : "—"}
          {p.referentHistory.map((r) => (
            <span key={r.since} className="fr-text--xs fr-ml-1w">
              — avant : {r.displayName} ({formatDate(r.since.slice(0, 10))} –{" "}
              {formatDate(r.until.slice(0, 10))})
            </span>
          ))}
        </dd>
      </dl>
      <h2>Mesure judiciaire</h2>
      {p.measures.length === 0 && <p>Aucune mesure enregistrée.</p>}
      {p.view === "full" && p.measures.length > 0 && (
        <Table
          caption="Mesures"
          headers={["Mesure", "Début", "Fin", "Infraction", "Juridiction", "Jugement"]}
          data={p.measures.map((m) => [
            measureTypeLabels[m.type],
            formatDate(m.startDate),
            formatDate(m.endDate),
            m.offence || "—",
            m.court || "—",
            formatDate(m.judgmentDate),
          ])}
        />
      )}
      {p.view === "restricted" && p.measures.length > 0 && (
        <>
          <p className="fr-text--sm">
            En tant que conseiller France services, vous voyez le type et la date de fin de la mesure
            seulement.
          </p>
          <Table
            caption="Mesures"
            headers={["Mesure", "Fin"]}
            data={p.measures.map((m) => [measureTypeLabels[m.type], formatDate(m.endDate)])}
          />
        </>
      )}
    </>
  );
}
