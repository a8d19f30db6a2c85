import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Link, useParams } from "react-router";
import { formatDate } from "../../../common/dateFormat";
import { newsletterRoutes } from "../../../common/newsletter/newsletter.routes";
import { call } from "../../api/client";
import { useSession } from "../../api/session";
import { ErrorAlert } from "../../components/ErrorAlert";
import { usePageTitle } from "../../components/pageTitle";
import { IssueView } from "./IssueView";

/** The sent issues of the structure, latest first: the partner referent's home shows `limit` of them. */
export function ArchiveList({
  limit,
  headingLevel = 2,
}: {
  limit?: number;
  headingLevel?: 2 | 3;
}): ReactNode {
  const { structureId } = useSession();
  const query = useQuery({
    queryKey: ["newsletter-archive", structureId],
    queryFn: () => call(newsletterRoutes.archive, { params: { structureId: structureId as string } }),
    enabled: structureId !== null,
  });
  const H = headingLevel === 2 ? "h2" : "h3";
  if (query.error) return <ErrorAlert error={query.error} />;
  if (!query.data) return <p>Chargement…</p>;
  const issues = limit ? query.data.issues.slice(0, limit) : query.data.issues;
  return (
    <section className="fr-mb-6w">
      <H>Lettres d'information de la structure</H>
      {issues.length === 0 ? (
        <p>Aucune lettre d'information envoyée pour l'instant.</p>
      ) : (
        <ul>
          {issues.map((issue) => (
            <li key={issue.id}>
              <Link to={`/lettres/${issue.id}`}>
                N° {issue.number} — {issue.title}
              </Link>{" "}
              (envoyée le {formatDate(issue.sentAt)})
            </li>
          ))}
        </ul>
      )}
      {limit && query.data.issues.length > limit && <Link to="/lettres">Toutes les lettres</Link>}
    </section>
  );
}

export function ArchivePage(): ReactNode {
  const { issueId } = useParams();
  usePageTitle("Lettres d'information");
  const query = useQuery({
    queryKey: ["newsletter-archive", "issue", issueId],
    queryFn: () => call(newsletterRoutes.archiveIssue, { params: { issueId: issueId as string } }),
    enabled: issueId !== undefined,
  });
  if (!issueId)
    return (
      <>
        <h1>Lettres d'information</h1>
        <p>Les lettres envoyées par la structure à ses partenaires, de la plus récente à la plus ancienne.</p>
        <ArchiveList />
      </>
    );
  return (
    <>
      <p>
        <Link to="/lettres">Toutes les lettres</Link>
      </p>
      <ErrorAlert error={query.error} />
      {query.data && (
        <>
          <h1>
            N° {query.data.content.number} — {query.data.content.title}
          </h1>
          <p>Envoyée le {formatDate(query.data.sentAt)}.</p>
          <IssueView content={query.data.content} />
        </>
      )}
    </>
  );
}
