import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { TZDate } from "@date-fns/tz";
import { useQuery } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { Link, useParams } from "react-router";
import { handoverRoutes } from "../../../common/handover/handover.routes";
import { type HandoverView, handoverStatusLabels } from "../../../common/handover/handover.schema";
import { call } from "../../api/client";
import { formatDate, formatDateTime } from "../../components/dates";
import { ErrorAlert } from "../../components/ErrorAlert";
import { usePageTitle } from "../../components/pageTitle";
import { SuccessNotice } from "../../components/SuccessNotice";
import { CompleteHandoverForm } from "./CompleteHandoverForm";
import { ScheduleHandoverForm } from "./ScheduleHandoverForm";

/** A Paris wall-clock day and time as an ISO instant. */
export function parisIso(day: string, time: string): string {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const [hh, mm] = time.split(":").map(Number) as [number, number];
  return new Date(new TZDate(y, m - 1, d, hh, mm, 0, "Europe/Paris").getTime()).toISOString();
}

function Agenda({ meeting }: { meeting: HandoverView }): ReactNode {
  const a = meeting.agenda;
  return (
    <div className="fr-mt-3w fr-mb-3w">
      <h4 className="fr-h6">
        {meeting.status === "held"
          ? "Ordre du jour (tel qu'au jour de la réunion)"
          : "Ordre du jour (d'après le dossier)"}
      </h4>
      <p className="fr-mb-1w">
        <strong>Besoins :</strong>{" "}
        {a.needs.length === 0 ? "aucun besoin ouvert." : a.needs.map((n) => n.label).join(", ")}
      </p>
      <p className="fr-mb-1w">
        <strong>Démarches en cours :</strong>{" "}
        {a.demarches.length === 0
          ? "aucune."
          : a.demarches.map((d) => `${d.label} (${d.status.toLowerCase()})`).join(", ")}
      </p>
      <p className="fr-mb-1w">
        <strong>Orientations :</strong>{" "}
        {a.orientations.length === 0
          ? "aucune en cours."
          : a.orientations.map((o) => `${o.label} (${o.status.toLowerCase()})`).join(", ")}
      </p>
      <p className="fr-mb-0">
        <strong>Consentement au partage :</strong> {a.consent.summary}
      </p>
    </div>
  );
}

export function Meeting({
  meeting,
  manage,
  personId,
  sites,
  onNotice,
  pageRelease,
}: {
  meeting: HandoverView;
  /** The expected release the page states above the meetings: not said again in the meeting. */
  pageRelease: string | null;
  manage: boolean;
  personId: string;
  sites: { id: string; name: string }[];
  onNotice: (message: string) => void;
}): ReactNode {
  return (
    <section className="fr-card fr-p-3w fr-mb-4w" aria-labelledby={`reunion-${meeting.id}`}>
      <h2 id={`reunion-${meeting.id}`} className="fr-h5">
        Réunion du {formatDateTime(meeting.startsAt)}{" "}
        <Badge
          noIcon
          small
          severity={meeting.status === "held" ? "success" : meeting.status === "cancelled" ? "error" : "info"}
        >
          {handoverStatusLabels[meeting.status]}
        </Badge>
      </h2>
      <p className="fr-mb-1w">Lieu : {meeting.placeLabel}</p>
      {meeting.releaseDate !== pageRelease && (
        <p className="fr-mb-1w">Sortie prévue le {formatDate(meeting.releaseDate)}</p>
      )}
      <p className="fr-mb-2w">Structure qui reprend le suivi : {meeting.targetStructureName}</p>
      {meeting.status === "cancelled" && meeting.cancelReason && (
        <p className="fr-mb-2w">Motif de l'annulation : {meeting.cancelReason}</p>
      )}
      <h3 className="fr-h6">Participants</h3>
      {meeting.participants.length === 0 ? (
        <p>Aucun participant invité.</p>
      ) : (
        <ul>
          {meeting.participants.map((p) => (
            <li key={p.id}>
              {p.name}
              {p.roleLabel && ` — ${p.roleLabel}`} ({p.email})
            </li>
          ))}
        </ul>
      )}
      <Agenda meeting={meeting} />
      {meeting.status === "held" && (
        <>
          <h3 className="fr-h6">Compte rendu</h3>
          <p style={{ whiteSpace: "pre-wrap" }}>{meeting.minutes}</p>
          <h3 className="fr-h6">Décisions</h3>
          <p style={{ whiteSpace: "pre-wrap" }}>{meeting.decisions}</p>
          {meeting.personPresent !== null && (
            <p className="fr-mb-1w">
              Présence de la personne :{" "}
              {meeting.personPresent ? "présente à la réunion" : "absente de la réunion"}
            </p>
          )}
          <p className="fr-mb-1w">Consentement de la personne : {meeting.consentReference}</p>
          <p className="fr-mb-1w">Référent en milieu ouvert : {meeting.targetReferentName ?? "—"}</p>
          <p className="fr-mb-0">
            Première convocation :{" "}
            {meeting.firstConvocationAt ? formatDateTime(meeting.firstConvocationAt) : "—"}
          </p>
        </>
      )}
      {meeting.status === "planned" && manage && (
        <CompleteHandoverForm meeting={meeting} personId={personId} sites={sites} onNotice={onNotice} />
      )}
    </section>
  );
}

/**
 * "Passage de relais": the handover meeting before release (milieu fermé → milieu ouvert): schedule
 * it with its participants, read the agenda built from the file, then record the minutes, the
 * person's consent, the milieu ouvert referent and the first convocation, which passes the file.
 */
export function HandoverPage(): ReactNode {
  const { personId = "" } = useParams();
  const query = useQuery({
    queryKey: ["handover", personId],
    queryFn: () => call(handoverRoutes.page, { params: { personId } }),
  });
  usePageTitle(query.data ? `Passage de relais — ${query.data.personName}` : null);
  // What was just done (planned, moved, cancelled, file passed): said above the meetings, focused.
  // Counted, so that the same notice twice (moved twice) is drawn, announced and focused again.
  const [notice, setNoticeState] = useState({ message: "", n: 0 });
  const setNotice = (message: string) => setNoticeState((old) => ({ message, n: old.n + 1 }));
  if (query.error) return <ErrorAlert error={query.error} title="Passage de relais inaccessible" />;
  if (!query.data) return <p>Chargement…</p>;
  const page = query.data;
  const planned = page.meetings.some((m) => m.status === "planned");
  return (
    <>
      <Breadcrumb
        currentPageLabel="Passage de relais"
        segments={[
          { label: "Personnes suivies", linkProps: { to: "/personnes" } },
          { label: page.personName, linkProps: { to: `/personnes/${personId}` } },
        ]}
      />
      <h1>Passage de relais : {page.personName}</h1>
      <p>
        La réunion pluridisciplinaire prépare la sortie avec la personne : le CPIP du milieu fermé, le CPIP du
        milieu ouvert, le conseiller France services et les partenaires utiles. À son issue, avec l'accord de
        la personne, le dossier passe au référent du milieu ouvert et la première convocation est prise.
      </p>
      {page.expectedReleaseDate && (
        <p className="fr-text--bold">Sortie prévue le {formatDate(page.expectedReleaseDate)}</p>
      )}
      {notice.message && <SuccessNotice key={notice.n} message={notice.message} />}
      {page.meetings.length === 0 && <p>Aucune réunion de passage de relais pour l'instant.</p>}
      {page.meetings
        .slice()
        .reverse()
        .map((m) => (
          <Meeting
            key={m.id}
            meeting={m}
            pageRelease={page.expectedReleaseDate}
            manage={page.permissions.manage}
            personId={personId}
            sites={page.sites}
            onNotice={setNotice}
          />
        ))}
      {page.permissions.manage && !planned && (
        <ScheduleHandoverForm
          page={page}
          personId={personId}
          onScheduled={() => setNotice("Réunion programmée : les invitations partent par courriel.")}
        />
      )}
      {!page.inDetention && !planned && !page.meetings.some((m) => m.status === "held") && (
        <Alert
          severity="info"
          small
          className="fr-mb-3w"
          description={
            <>
              Le passage de relais prépare la sortie d'une personne en détention : ce dossier n'est pas en
              détention, aucune réunion ne peut être programmée. Pour confier le dossier à une autre
              structure, <Link to={`/personnes/${personId}/transfert`}>proposez un transfert</Link>.
            </>
          }
        />
      )}
      {!page.permissions.manage && page.meetings.some((m) => m.status === "held") && (
        <Alert
          severity="info"
          small
          className="fr-mb-3w"
          description="Ce dossier a été transmis : il est en lecture seule ici."
        />
      )}
      <p>
        <Link to={`/personnes/${personId}`}>Retour au dossier</Link>
      </p>
    </>
  );
}
