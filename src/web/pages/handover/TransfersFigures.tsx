import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { addDays } from "../../../common/calendar";
import { handoverRoutes } from "../../../common/handover/handover.routes";
import { call } from "../../api/client";
import { ErrorAlert } from "../../components/ErrorAlert";
import { ScrollableTable } from "../../components/ScrollableTable";
import { useDefinition } from "../steering/Definition";

/** The last day of a YYYY-MM month. */
const monthEnd = (month: string): string => {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, "0")}-01`;
  return addDays(next, -1);
};

/**
 * Transfers and handovers of one structure over the dashboard's months (ADR 0029): exact for its
 * direction, protected for steering users (the server decides).
 */
export function TransfersFigures({
  structureId,
  structureName,
  from,
  to,
}: {
  structureId: string;
  structureName: string;
  from: string;
  to: string;
}): ReactNode {
  const query = useQuery({
    queryKey: ["transfers", "figures", structureId, from, to],
    queryFn: () =>
      call(handoverRoutes.figures, { query: { structureId, from: `${from}-01`, to: monthEnd(to) } }),
    enabled: structureId !== "",
  });
  const definition = useDefinition("Transferts et passages de relais", query.data?.definition ?? "");
  if (!structureId) return null;
  return (
    <section aria-labelledby="transferts-titre" className="fr-mb-4w">
      <h2 id="transferts-titre">
        Transferts et passages de relais — {structureName} {definition.button}
      </h2>
      {definition.panel}
      <ErrorAlert error={query.error} />
      {query.data && (
        <ScrollableTable
          caption="Transferts et passages de relais"
          noCaption
          headers={["", "Proposés", "Acceptés", "Refusés"]}
          data={[
            ["Transferts sortants", query.data.outProposed, query.data.outAccepted, query.data.outRefused],
            ["Transferts entrants", query.data.inProposed, query.data.inAccepted, query.data.inRefused],
            ["Passages de relais tenus", query.data.handovers, "—", "—"],
          ]}
        />
      )}
    </section>
  );
}
