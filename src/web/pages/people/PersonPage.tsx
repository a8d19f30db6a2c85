import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type ReactNode, type RefObject, useEffect, useRef } from "react";
import { Link, useParams, useSearchParams } from "react-router";
import { agendaRoutes } from "../../../common/agenda/agenda.routes";
import { peopleRoutes } from "../../../common/people/people.routes";
import type { PersonFile } from "../../../common/people/people.schema";
import { ofName } from "../../../common/placeName";
import { measureTypeLabels } from "../../../common/roles";
import { call } from "../../api/client";
import { useSession } from "../../api/session";
import { formatShortDate, formatShortDateTime } from "../../components/dates";
import { ErrorAlert, isPersonNotFound } from "../../components/ErrorAlert";
import { useModalOpener } from "../../components/modalOpener";
import { useOneTimeParams } from "../../components/oneTimeParams";
import { usePageTitle } from "../../components/pageTitle";
import { ScrollableTable } from "../../components/ScrollableTable";
import { SuccessNotice } from "../../components/SuccessNotice";
import { historyAuthor } from "../../components/wording";
import { AccompanimentSection } from "../accompaniment/AccompanimentSection";
import { ConvocationTable } from "../agenda/ConvocationTable";
import { DetentionSection } from "../detention/DetentionSection";
import { DocumentsSection } from "../documents/DocumentsSection";
import { NotFoundPage } from "../errors/ErrorPages";
import { OrientationsSection } from "../orientations/OrientationsSection";
import { ConsentPanel } from "./ConsentPanel";
import {
  CloseFileDialog,
  closeModal,
  ReferentDialog,
  ReopenDialog,
  referentModal,
  reopenModal,
} from "./FileDialogs";
import { MergePanel } from "./MergePanel";
import { NotesSection } from "./NotesSection";
import { PersonHeader } from "./PersonHeader";
import { personDisplayName, usePersonFile } from "./usePersonFile";

/** The sections whose changes the history tells (their queries are keyed `[section, personId]`). */
const toldInHistory = new Set(["accompaniment", "orientations", "consents", "documents"]);

/**
 * The history is read again when a section it tells is (a démarche updated, an orientation sent, a
 * consent recorded): it says the new step at once, not at the next visit of the file.
 */
function useHistoryFollowsSections(personId: string): void {
  const queryClient = useQueryClient();
  useEffect(
    () =>
      queryClient.getQueryCache().subscribe((event) => {
        const [section, about] = event.query.queryKey;
        if (
          event.type === "updated" &&
          event.action.type === "success" &&
          // Read again, not the first read of the file (the history is being read with it).
          event.query.state.dataUpdateCount > 1 &&
          about === personId &&
          toldInHistory.has(String(section))
        )
          void queryClient.invalidateQueries({ queryKey: ["convocations", "timeline", personId] });
      }),
    [queryClient, personId],
  );
}

/** What happened, newest first: changes of the file, convocations, messages, visits, démarches… */
function Timeline({ personId }: { personId: string }): ReactNode {
  const query = useQuery({
    queryKey: ["convocations", "timeline", personId],
    queryFn: () => call(peopleRoutes.timeline, { params: { personId } }),
  });
  useHistoryFollowsSections(personId);
  return (
    <>
      <ErrorAlert error={query.error} />
      {query.data && query.data.events.length === 0 && <p>Rien pour l'instant.</p>}
      {query.data && query.data.events.length > 0 && (
        <ScrollableTable
          stacked
          caption="Historique du dossier"
          noCaption
          headers={["Quand", "Quoi", "Par"]}
          data={query.data.events.map((e) => [
            // A message not sent (waiting, failed): its state, not the time it was queued.
            e.atLabel ?? formatShortDateTime(e.at),
            <span key="what">
              {e.title}
              {e.detail && (
                <>
                  <br />
                  <span className="fr-text--xs">{e.detail}</span>
                </>
              )}
            </span>,
            // No author recorded: an empty cell, and no « Par : » where the rows stack.
            historyAuthor(e),
          ])}
        />
      )}
    </>
  );
}

function Convocations({ personId }: { personId: string }): ReactNode {
  const convocations = useQuery({
    queryKey: ["convocations", "person", personId],
    queryFn: () => call(agendaRoutes.list, { query: { personId } }),
  });
  return (
    <>
      <ErrorAlert error={convocations.error} />
      {convocations.data && (
        <ConvocationTable
          caption="Convocations de la personne"
          onePerson
          convocations={convocations.data.convocations}
          emptyText="Aucune convocation pour l'instant."
        />
      )}
    </>
  );
}

/** The judicial measure in full, for SPIP roles only (the server sends it to no one else). */
function MeasureDetails({ file }: { file: PersonFile }): ReactNode {
  if (file.view === "restricted")
    return (
      <p className="fr-text--xs">
        En tant que conseiller France services, vous voyez le type et la date de fin de la mesure seulement.
      </p>
    );
  if (file.measures.length === 0) return null;
  return (
    <details className="fr-mb-3w">
      <summary>Détail de la mesure (réservé au SPIP)</summary>
      <ScrollableTable
        stacked
        caption="Mesures"
        headers={["Mesure", "Début", "Fin", "Infraction", "Juridiction", "Jugement"]}
        data={file.measures.map((m) => [
          measureTypeLabels[m.type],
          formatShortDate(m.startDate),
          formatShortDate(m.endDate),
          m.offence || "—",
          m.court || "—",
          formatShortDate(m.judgmentDate),
        ])}
      />
    </details>
  );
}

const sections = [
  { id: "convocations", label: "Convocations" },
  { id: "accompagnement", label: "Accompagnement" },
  { id: "orientations", label: "Orientations" },
  { id: "documents", label: "Documents" },
  { id: "notes", label: "Notes et consentement" },
  { id: "historique", label: "Historique" },
] as const;

/**
 * While the file is shown, the page scrolls anchors and focused fields below the sticky navigation
 * (its height, which grows when the tags wrap on a phone, plus a margin): it never hides them.
 */
function useScrollPaddingBelow(sticky: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const element = sticky.current;
    const root = document.documentElement;
    if (!element) return;
    const update = (): void => {
      // Not sticky on a phone (app.css): nothing to keep clear of then.
      if (getComputedStyle(element).position !== "sticky") root.style.removeProperty("scroll-padding-top");
      else root.style.scrollPaddingTop = `${Math.ceil(element.getBoundingClientRect().height) + 16}px`;
    };
    update();
    const observer = new ResizeObserver(update);
    observer.observe(element);
    // Crossing 48 em turns the stickiness on or off without resizing the navigation itself.
    window.addEventListener("resize", update);
    return () => {
      observer.disconnect();
      window.removeEventListener("resize", update);
      root.style.removeProperty("scroll-padding-top");
    };
  }, [sticky]);
}

/**
 * The in-page navigation, kept at the top of the screen while the file scrolls — from 48 em only: on
 * a phone its tags take three lines, a sixth of the screen, and would hide the field in hand.
 */
function SectionNav(): ReactNode {
  const ref = useRef<HTMLElement>(null);
  useScrollPaddingBelow(ref);
  return (
    <nav ref={ref} aria-label="Rubriques du dossier" className="fr-py-1w fr-mb-2w person-section-nav">
      <ul className="fr-tags-group fr-mb-0">
        {sections.map((section) => (
          <li key={section.id}>
            <a className="fr-tag" href={`#${section.id}`}>
              {section.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** `?onglet=historique` (a link from another page) lands on that section once the file is shown. */
function useLandOnSection(section: string | null, ready: boolean): void {
  useEffect(() => {
    if (ready && section) document.getElementById(section)?.scrollIntoView();
  }, [section, ready]);
}

/** What the page that sent the agent here did: read once, then taken out of the address. */
const noticeParams = ["visite", "modifie", "messages"] as const;

/**
 * After a visit or a correction, what it did (from the redirection). Shown once: a reload does not
 * say it again. The heading has the focus: the notice's live region reads it out.
 */
function SavedNotice({ notice }: { notice: URLSearchParams }): ReactNode {
  if (notice.get("visite") === "enregistree")
    return <SuccessNotice message="Visite enregistrée." focus={false} />;
  const changed = notice.get("modifie");
  if (changed === null) return null;
  const [withdrawn, requeued] = (notice.get("messages") ?? "0-0").split("-").map(Number);
  return (
    <SuccessNotice
      focus={false}
      message={`Dossier enregistré (${changed} modification${Number(changed) > 1 ? "s" : ""}).${
        withdrawn
          ? ` ${withdrawn} message${withdrawn > 1 ? "s" : ""} en attente retiré${withdrawn > 1 ? "s" : ""} de l'ancienne coordonnée, ${requeued} renvoyé${(requeued ?? 0) > 1 ? "s" : ""} à la nouvelle.`
          : ""
      }`}
    />
  );
}

/**
 * A person's file: the essentials at the top, then one section per subject with a sticky in-page
 * navigation (`#historique`, or `?onglet=historique` from another page).
 */
export function PersonPage(): ReactNode {
  const { personId = "" } = useParams();
  const { roles } = useSession();
  const [search] = useSearchParams();
  const notice = useOneTimeParams(noticeParams);
  const openClose = useModalOpener(closeModal);
  const openReopen = useModalOpener(reopenModal);
  const openReferent = useModalOpener(referentModal);
  const query = usePersonFile(personId);
  const name = query.data ? personDisplayName(query.data) : null;
  usePageTitle(name ? `Dossier ${ofName(name)}` : null);
  useLandOnSection(search.get("onglet"), query.data !== undefined);
  if (isPersonNotFound(query.error))
    return <NotFoundPage back={{ to: "/personnes", label: "Personnes suivies" }} />;
  if (query.error) return <ErrorAlert error={query.error} title="Dossier inaccessible" />;
  if (!query.data) return <p>Chargement…</p>;
  const file = query.data;
  return (
    <>
      <Breadcrumb
        currentPageLabel={name}
        segments={[{ label: "Personnes suivies", linkProps: { to: "/personnes" } }]}
      />
      <SavedNotice notice={notice} />
      <PersonHeader file={file} onClose={openClose} onReopen={openReopen} onChangeReferent={openReferent} />
      <p className="fr-text--xs fr-mb-2w">
        Votre consultation de ce dossier est enregistrée dans le journal des accès.
      </p>
      <MeasureDetails file={file} />
      {/* A closed file is read-only: no handover to plan, no transfer to propose from it. */}
      {file.view !== "restricted" && !file.closure && (
        <ul
          className="fr-btns-group fr-btns-group--inline-md fr-btns-group--sm fr-mb-2w"
          aria-label="Suivi du dossier"
        >
          <li>
            <Link className="fr-btn fr-btn--secondary" to={`/personnes/${file.id}/passage-de-relais`}>
              Passage de relais
            </Link>
          </li>
          {/* Only those the server lets propose a transfer (referent CPIP, direction; open file). */}
          {file.permissions.edit && (
            <li>
              <Link className="fr-btn fr-btn--secondary" to={`/personnes/${file.id}/transfert`}>
                Transférer
              </Link>
            </li>
          )}
        </ul>
      )}
      <SectionNav />
      <DetentionSection file={file} />
      <section id="convocations" aria-labelledby="convocations-title" className="fr-mb-4w">
        <h2 id="convocations-title">Convocations</h2>
        <Convocations personId={file.id} />
      </section>
      <section id="accompagnement" aria-label="Accompagnement" className="fr-mb-4w">
        <AccompanimentSection personId={file.id} />
      </section>
      <section id="orientations" aria-label="Orientations" className="fr-mb-4w">
        <OrientationsSection personId={file.id} />
      </section>
      <section id="documents" aria-labelledby="documents-title" className="fr-mb-4w">
        <DocumentsSection personId={file.id} />
      </section>
      <section id="notes" aria-label="Notes et consentement" className="fr-mb-4w">
        <ConsentPanel personId={file.id} />
        <NotesSection personId={file.id} />
      </section>
      <section id="historique" aria-labelledby="historique-title" className="fr-mb-4w">
        <h2 id="historique-title">Historique</h2>
        <Timeline personId={file.id} />
      </section>
      {roles.includes("service_manager") && !file.closure && !file.retention.archivedAt && (
        <div className="fr-mt-3w">
          <MergePanel personId={file.id} name={name ?? ""} />
        </div>
      )}
      {file.permissions.close && <CloseFileDialog personId={file.id} />}
      {file.permissions.reopen && <ReopenDialog personId={file.id} />}
      {file.permissions.changeReferent && <ReferentDialog personId={file.id} />}
    </>
  );
}
