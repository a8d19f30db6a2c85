import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Link } from "react-router";
import { actionsRoutes } from "../../../common/actions/actions.routes";
import type { WorkingGroupMeeting } from "../../../common/actions/workingGroup.schema";
import { call } from "../../api/client";
import { formatDateTime, formatTime } from "../../components/dates";
import { ErrorAlert } from "../../components/ErrorAlert";
import { StatusBadge } from "../actions/ActionsPage";
import { MeetingNotes } from "../actions/WorkingGroupSection";

function When({ meeting, linked }: { meeting: WorkingGroupMeeting; linked: boolean }): ReactNode {
  const text = `${formatDateTime(meeting.startsAt)} – ${formatTime(meeting.endsAt)}`;
  return linked ? <Link to={`/actions/${meeting.id}`}>{text}</Link> : text;
}

function Past({ meeting, linked }: { meeting: WorkingGroupMeeting; linked: boolean }): ReactNode {
  return (
    <li className="fr-mb-3w">
      <p className="fr-mb-1v">
        <strong>
          <When meeting={meeting} linked={linked} />
        </strong>{" "}
        <StatusBadge status={meeting.status} />
      </p>
      <p className="fr-mb-1v fr-text--sm">Lieu : {meeting.place}</p>
      {meeting.minutes || meeting.decisions ? (
        <MeetingNotes minutes={meeting.minutes} decisions={meeting.decisions} />
      ) : (
        <p className="fr-text--sm">Compte rendu pas encore saisi.</p>
      )}
    </li>
  );
}

/**
 * The steering committee's meetings on the home page of its members (steering accounts) and of the
 * direction, which convenes it: the next meetings, and the latest ones with minutes and decisions.
 */
export function SteeringCommittee({
  structureId,
  manage,
}: {
  structureId: string;
  /** The direction: links to each meeting's page and to convening a new one. */
  manage: boolean;
}): ReactNode {
  const query = useQuery({
    queryKey: ["steering-committee", structureId],
    queryFn: () => call(actionsRoutes.steeringCommittee, { params: { structureId } }),
  });
  if (query.error) return <ErrorAlert error={query.error} />;
  if (!query.data) return <p>Chargement…</p>;
  const { upcoming, past } = query.data;
  const [next, ...later] = upcoming;
  const latest = upcoming.at(-1) ?? past[0];
  return (
    <section className="fr-mb-6w" aria-labelledby="committee-title">
      <h2 id="committee-title">Comité de pilotage</h2>
      {next ? (
        <div className="fr-callout fr-mb-3w">
          <h3 className="fr-callout__title fr-h5">Prochaine réunion</h3>
          <p className="fr-callout__text fr-text--md">
            <When meeting={next} linked={manage} />
            <br />
            {next.place}
          </p>
          {later.length > 0 && (
            <p className="fr-text--sm fr-mb-0">
              Puis :{" "}
              {later.map((m, i) => (
                <span key={m.id}>
                  {i > 0 && " ; "}
                  <When meeting={m} linked={manage} />
                </span>
              ))}
              .
            </p>
          )}
        </div>
      ) : (
        <p>Aucune réunion du comité de pilotage n'est prévue.</p>
      )}
      {manage && (
        <p>
          {/* The committee's page plans its next meeting with its members; a first one starts it. */}
          <Link
            to={latest ? `/actions/${latest.id}` : "/actions/nouvelle?type=steering_committee"}
            className="fr-link fr-icon-add-line fr-link--icon-left"
          >
            {latest
              ? "Planifier la prochaine réunion du comité"
              : "Planifier une première réunion du comité de pilotage"}
          </Link>
        </p>
      )}
      <h3 className="fr-h5">Dernières réunions</h3>
      {past.length === 0 ? (
        <p>Aucune réunion passée pour l'instant : les comptes rendus et décisions s'afficheront ici.</p>
      ) : (
        <ul>
          {past.map((m) => (
            <Past key={m.id} meeting={m} linked={manage} />
          ))}
        </ul>
      )}
    </section>
  );
}
