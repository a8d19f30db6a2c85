import { Button } from "@codegouvfr/react-dsfr/Button";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { type ReactNode, useEffect, useRef, useState } from "react";
import { auditActionLabel, auditOutcomeLabels } from "../../../common/audit/audit.labels";
import { auditRoutes } from "../../../common/audit/audit.routes";
import type { AuditPage as AuditPageData } from "../../../common/audit/audit.schema";
import { call, routeUrl } from "../../api/client";
import { useSession } from "../../api/session";
import { formatDateTime } from "../../components/dates";
import { ErrorAlert } from "../../components/ErrorAlert";
import { usePageTitle } from "../../components/pageTitle";
import { ScrollableTable } from "../../components/ScrollableTable";
import { useAddressFilters } from "../../components/useAddressFilters";
import { AuditFilters, auditFilterQuery, usePeopleFound, useStructureAgents } from "./AuditFilters";
import { auditAddressOf, auditFiltersFrom, auditParams, PERSON_SEARCH } from "./auditAddress";
import { auditSubject } from "./auditSubject";

type AuditEvent = AuditPageData["events"][number];

/** Beyond this many people named in one row (a list read), the names fold under a summary. */
const NAMES_SHOWN = 3;

/** What a row is about, in words: "Dossier — BENALI Karim", "Agent — Inès Moreau"; "—" for no one. */
function subjectOf(event: AuditEvent): ReactNode {
  const subject = auditSubject(event);
  if (!subject) return "—";
  if ("text" in subject) return subject.text;
  const { kind, names } = subject;
  if (names.length <= NAMES_SHOWN) return `${kind} — ${names.join(", ")}`;
  return (
    <details>
      <summary>
        {kind} — {names.length} personnes
      </summary>
      {names.join(", ")}
    </details>
  );
}

function resultsSummary(shown: number, page: number, hasMore: boolean): string {
  if (shown === 0)
    return page === 1 ? "Aucun évènement pour ces critères." : "Plus d'évènement sur cette page.";
  const words = `${shown} évènement${shown > 1 ? "s" : ""}, du plus récent au plus ancien`;
  return `Page ${page} : ${words}${hasMore ? " ; d'autres suivent (page suivante)." : "."}`;
}

/** Downloads the filtered journal as CSV (the server journals the export). */
async function downloadCsv(url: string): Promise<void> {
  const response = await fetch(url, { credentials: "same-origin" });
  if (!response.ok) throw new Error("L'export n'a pas abouti. Réessayez plus tard.");
  const blob = await response.blob();
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download =
    /filename="([^"]+)"/.exec(response.headers.get("content-disposition") ?? "")?.[1] ?? "journal.csv";
  link.click();
  URL.revokeObjectURL(link.href);
}

export function AuditPage(): ReactNode {
  usePageTitle("Journal des accès et des actions");
  const { structureId } = useSession();
  // The filters are in the address: a reload, a link, back and forward show the same events. An agent
  // or a person is read once the page's choices have come (one it does not offer reads as "all"): the
  // events wait for them rather than showing another list first.
  const address = useAddressFilters();
  const personSearch = address.text(PERSON_SEARCH);
  const agents = useStructureAgents(structureId ?? "");
  const people = usePeopleFound(personSearch);
  const filters = auditFiltersFrom(address, {
    agents: agents.data?.users.map((u) => u.id) ?? [],
    people: people.data?.people.map((p) => p.id) ?? [],
  });
  // A choice that could not be read (an outage) is not "all" either: the events wait for it, which
  // the filters say with « Réessayer ».
  const agentChosen = address.text(auditParams.actorUserId) !== "";
  const personChosen = address.text(auditParams.personId) !== "";
  const choicesFailed = (agentChosen && agents.isError) || (personChosen && people.isError);
  const choicesPending =
    choicesFailed || (agentChosen && agents.isPending) || (personChosen && people.isLoading);
  // The page goes back to the first with other filters (applied, or back and forward).
  const filtersKey = JSON.stringify(filters);
  const [paging, setPaging] = useState({ of: filtersKey, page: 1 });
  const page = paging.of === filtersKey ? paging.page : 1;
  const [exportError, setExportError] = useState<Error | null>(null);
  const [exporting, setExporting] = useState(false);
  const query = useQuery({
    queryKey: ["audit", structureId, filters, page],
    queryFn: () =>
      call(auditRoutes.list, { query: { ...auditFilterQuery(structureId ?? "", filters), page } }),
    enabled: Boolean(structureId) && !choicesPending,
    // The rows and the page buttons stay while the next page loads: the button just pressed keeps the
    // focus (redrawn, it dropped it to the page's body and a keyboard user started again from the top).
    placeholderData: keepPreviousData,
  });
  // Until the asked page has come, the status line is empty: filled again, it is announced.
  const shown = query.isPlaceholderData ? undefined : query.data;
  // On the first or the last page, the button just pressed is disabled and drops the focus: the
  // other one takes it (0: "Page précédente", 1: "Page suivante").
  const pager = useRef<HTMLElement>(null);
  const pressed = useRef<0 | 1 | null>(null);
  useEffect(() => {
    if (!shown || pressed.current === null) return;
    const buttons = pager.current?.querySelectorAll("button");
    const used = pressed.current;
    pressed.current = null;
    if (buttons?.[used]?.disabled) buttons[1 - used]?.focus();
  }, [shown]);
  const goTo = (next: number, button: 0 | 1) => {
    // Pressed again before the page asked has come: its buttons still tell the previous page's.
    if (query.isPlaceholderData) return;
    pressed.current = button;
    setPaging({ of: filtersKey, page: next });
  };
  if (!structureId) return null;
  const runExport = async () => {
    setExportError(null);
    setExporting(true);
    try {
      await downloadCsv(routeUrl(auditRoutes.export, { query: auditFilterQuery(structureId, filters) }));
    } catch (error) {
      setExportError(error as Error);
    } finally {
      setExporting(false);
    }
  };
  return (
    <>
      <h1>Journal des accès et des actions</h1>
      <p>
        Chaque consultation de dossier et chaque modification sont enregistrées. Le journal ne peut être ni
        modifié ni effacé. La recherche par personne et l'export sont eux-mêmes inscrits au journal.
      </p>
      <AuditFilters
        structureId={structureId}
        value={filters}
        personSearch={filters.personId ? personSearch : ""}
        onApply={(next, search) => {
          setPaging({ of: filtersKey, page: 1 });
          address.set(auditAddressOf(next, search));
        }}
      />
      <ErrorAlert error={query.error} />
      {query.isPending && !choicesFailed && <p>Chargement…</p>}
      {/* Said after each search or page change, for those who cannot see the table redrawn. */}
      <p role="status" className={query.data?.events.length ? "fr-text--sm fr-mb-1w" : undefined}>
        {shown && resultsSummary(shown.events.length, page, shown.hasMore)}
      </p>
      {query.data && query.data.events.length > 0 && (
        <>
          <div className="fr-mb-2w">
            <Button
              priority="secondary"
              iconId="fr-icon-download-line"
              disabled={exporting}
              onClick={() => void runExport()}
            >
              Exporter ces évènements (CSV)
            </Button>
            {exportError && (
              <p className="fr-error-text" role="alert">
                {exportError.message}
              </p>
            )}
          </div>
          <ScrollableTable
            stacked
            caption="Évènements du journal"
            noCaption
            headers={["Date (heure de Paris)", "Agent", "Action", "Concerne", "Résultat", "Détail"]}
            data={query.data.events.map((e) => [
              formatDateTime(e.at),
              e.actorName ?? "—",
              auditActionLabel(e.action),
              subjectOf(e),
              auditOutcomeLabels[e.outcome],
              e.reason || "—",
            ])}
          />
          <nav aria-label="Pages du journal" ref={pager} className="audit-pager">
            <p className="fr-mb-0">Page {page}</p>
            <Button priority="secondary" disabled={page === 1} onClick={() => goTo(page - 1, 0)}>
              Page précédente
            </Button>
            <Button priority="secondary" disabled={!query.data.hasMore} onClick={() => goTo(page + 1, 1)}>
              Page suivante
            </Button>
          </nav>
        </>
      )}
    </>
  );
}
