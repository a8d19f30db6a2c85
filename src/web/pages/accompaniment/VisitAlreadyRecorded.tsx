import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { type ReactNode, useEffect, useRef } from "react";
import { Link } from "react-router";
import { autonomyLabels, type VisitView } from "../../../common/accompaniment/accompaniment.schema";
import { ApiError } from "../../api/client";
import { formatDateTime, formatDuration } from "../../components/dates";

/** The codes of a visit sent when the convocation already has one (another tab, a colleague). */
const ALREADY_RECORDED = new Set(["accompaniment.visitExists", "accompaniment.visitRetriedWithOtherValues"]);

export function isVisitAlreadyRecorded(error: unknown): error is ApiError {
  return error instanceof ApiError && ALREADY_RECORDED.has(error.body.code);
}

/**
 * The visit form sent when the convocation's visit was recorded meanwhile — from another tab or
 * window, or by a colleague: the server's words (nothing was recorded twice) and the visit that
 * stands, as the file shows it.
 */
export function VisitAlreadyRecorded({
  error,
  visit,
  personId,
}: {
  error: ApiError;
  visit: VisitView | undefined;
  personId: string;
}): ReactNode {
  // The form it replaces had the focus: it comes here, and its live region reads the message out.
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <div ref={ref} tabIndex={-1} role="alert">
      <Alert
        as="h2"
        severity="warning"
        title="Cette visite est déjà enregistrée"
        className="fr-mb-3w"
        description={
          <>
            <p>{error.message}</p>
            {visit ? (
              <ul>
                <li>
                  Enregistrée le {formatDateTime(visit.recordedAt)}
                  {visit.counselorName ? ` par ${visit.counselorName}` : ""}
                </li>
                <li>
                  Durée : {formatDuration(visit.durationMinutes)} ; autonomie numérique :{" "}
                  {autonomyLabels[visit.autonomy].toLowerCase()}
                </li>
                <li>
                  Démarches travaillées : {visit.demarchesTouched} ; besoins évalués : {visit.needsAssessed}
                </li>
                {(visit.suggestNextInDays || visit.suggestion) && (
                  <li>
                    Suite proposée au CPIP :{" "}
                    {visit.suggestNextInDays
                      ? `reconvoquer sous ${visit.suggestNextInDays} jours${visit.suggestion ? ` : ${visit.suggestion}` : ""}`
                      : visit.suggestion}
                  </li>
                )}
              </ul>
            ) : (
              <p>Chargement de la visite enregistrée…</p>
            )}
            <p className="fr-mb-0">
              <Link to={`/personnes/${personId}`}>Ouvrir le dossier de la personne</Link>
            </p>
          </>
        }
      />
    </div>
  );
}
