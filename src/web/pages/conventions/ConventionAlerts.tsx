import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Link } from "react-router";
import { conventionsRoutes } from "../../../common/conventions/conventions.routes";
import { call } from "../../api/client";
import { formatDate } from "../../components/dates";
import { ErrorAlert } from "../../components/ErrorAlert";

/** The direction's home: the conventions to renew (end within the delay) or expired. */
export function ConventionAlerts({ structureId }: { structureId: string }): ReactNode {
  const query = useQuery({
    queryKey: ["conventions", structureId, "alerts"],
    queryFn: () => call(conventionsRoutes.alerts, { params: { structureId } }),
  });
  if (query.error) return <ErrorAlert error={query.error} />;
  const alerts = query.data?.alerts ?? [];
  if (alerts.length === 0) return null;
  const expired = alerts.some((a) => a.daysLeft < 0);
  return (
    <Alert
      severity={expired ? "error" : "warning"}
      as="h2"
      className="fr-mb-4w"
      title={`${alerts.length} convention${alerts.length > 1 ? "s" : ""} à renouveler`}
      description={
        <ul>
          {alerts.map((a) => (
            <li key={a.id}>
              <Link to={`/conventions/${a.id}`}>{a.title}</Link> :{" "}
              {a.daysLeft < 0
                ? `expirée depuis le ${formatDate(a.endsOn)}`
                : a.daysLeft === 0
                  ? "prend fin aujourd'hui"
                  : `prend fin le ${formatDate(a.endsOn)}, dans ${a.daysLeft} jour${a.daysLeft > 1 ? "s" : ""}`}
            </li>
          ))}
        </ul>
      }
    />
  );
}
