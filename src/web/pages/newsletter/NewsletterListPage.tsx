import { Button } from "@codegouvfr/react-dsfr/Button";
import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Link } from "react-router";
import { formatShortDate } from "../../../common/dateFormat";
import { newsletterRoutes } from "../../../common/newsletter/newsletter.routes";
import { type DeliveryCounts, issueStatusLabels } from "../../../common/newsletter/newsletter.schema";
import { call } from "../../api/client";
import { useSession } from "../../api/session";
import { ErrorAlert } from "../../components/ErrorAlert";
import { usePageTitle } from "../../components/pageTitle";
import { ScrollableTable } from "../../components/ScrollableTable";

export function countsText(c: DeliveryCounts | null): string {
  if (!c) return "—";
  const parts = [`${c.sent} envoyé${c.sent > 1 ? "s" : ""} sur ${c.recipients}`];
  if (c.pending > 0) parts.push(`${c.pending} en attente`);
  parts.push(`${c.failed} en échec`, `${c.unsubscribed} désabonnement${c.unsubscribed > 1 ? "s" : ""}`);
  return parts.join(", ");
}

/** The direction's newsletters: drafts and sent issues with their counts. */
export function NewsletterListPage(): ReactNode {
  usePageTitle("Lettre d'information");
  const { structureId } = useSession();
  const query = useQuery({
    queryKey: ["newsletters", structureId],
    queryFn: () => call(newsletterRoutes.list, { params: { structureId: structureId as string } }),
    enabled: structureId !== null,
  });
  return (
    <>
      <h1>Lettre d'information aux partenaires</h1>
      <p>
        Composez une lettre à partir de blocs (texte, actions collectives à venir, conventions signées,
        chiffres clés du trimestre), vérifiez son aperçu puis envoyez-la aux contacts de l'annuaire abonnés.
      </p>
      <ErrorAlert error={query.error} />
      {query.data && (
        <p>
          <strong>
            {query.data.subscribers} contact{query.data.subscribers > 1 ? "s" : ""} abonné
            {query.data.subscribers > 1 ? "s" : ""}
          </strong>{" "}
          à la lettre aujourd'hui.
        </p>
      )}
      <Button
        linkProps={{ to: "/lettre-information/nouvelle" }}
        iconId="fr-icon-add-line"
        iconPosition="left"
        className="fr-mb-4w"
      >
        Nouvelle lettre
      </Button>
      {query.data &&
        (query.data.issues.length === 0 ? (
          <p>Aucune lettre pour l'instant.</p>
        ) : (
          <ScrollableTable
            stacked
            stackedTitle={false}
            caption="Lettres de la structure"
            headers={["N°", "Titre", "État", "Envoyée le", "Envois"]}
            data={query.data.issues.map((issue) => [
              String(issue.number),
              <Link key={issue.id} to={`/lettre-information/${issue.id}`}>
                {issue.title}
              </Link>,
              issueStatusLabels[issue.status],
              formatShortDate(issue.sentAt),
              countsText(issue.counts),
            ])}
          />
        ))}
    </>
  );
}
