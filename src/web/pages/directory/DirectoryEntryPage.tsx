import { Accordion } from "@codegouvfr/react-dsfr/Accordion";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { directoryRoutes } from "../../../common/directory/directory.routes";
import { type DirectoryContact, directoryServiceLabels } from "../../../common/directory/directory.schema";
import { ofPlace } from "../../../common/placeName";
import { call } from "../../api/client";
import { useSession } from "../../api/session";
import { formatDate, formatPhone, formatShortDate } from "../../components/dates";
import { ErrorAlert } from "../../components/ErrorAlert";
import { usePageTitle } from "../../components/pageTitle";
import { ScrollableTable } from "../../components/ScrollableTable";
import { ArchiveButton } from "./ArchiveButton";
import { ContactForm } from "./ContactForm";
import { kindText } from "./DirectoryPage";
import { EntryForm } from "./EntryForm";

/** Subscribed or not; an address a mail server refused for good gets no newsletter any more. */
function newsletterText(c: DirectoryContact): string {
  if (c.emailBouncedAt)
    return `${c.newsletterSubscribed ? "Abonné, " : ""}adresse refusée le ${formatDate(c.emailBouncedAt)} : plus d'envoi`;
  return c.newsletterSubscribed ? "Abonné" : "Non abonné";
}

/** One organisation of the directory, its contacts; the direction edits both. */
export function DirectoryEntryPage(): ReactNode {
  const { entryId = "" } = useParams();
  const { roles, structureId } = useSession();
  const queryClient = useQueryClient();
  const [saved, setSaved] = useState<string | null>(null);
  const query = useQuery({
    queryKey: ["directory", "entry", entryId],
    queryFn: () => call(directoryRoutes.get, { params: { entryId } }),
  });
  usePageTitle(query.data?.name ?? (query.error ? "Organisation introuvable" : null));
  const edit = roles.includes("service_manager");
  const refresh = async () => {
    setSaved("Modifications enregistrées.");
    await queryClient.invalidateQueries({ queryKey: ["directory"] });
  };
  if (query.error)
    return (
      <>
        <h1>Organisation introuvable</h1>
        <ErrorAlert error={query.error} />
        <Link to="/annuaire">Revenir à l'annuaire</Link>
      </>
    );
  const e = query.data;
  if (!e) return <p>Chargement…</p>;
  const mayEdit = edit && structureId === e.structureId;
  const activeContacts = e.contacts.filter((c) => c.archivedAt === null);
  return (
    <>
      <p>
        <Link to="/annuaire">Annuaire des partenaires</Link>
      </p>
      <h1>{e.name}</h1>
      <p className="fr-text--lead">
        {kindText(e)}
        {e.partnerName ? ` — ${e.partnerName}` : ""}
      </p>
      {e.archivedAt && (
        <p>
          <Badge severity="warning">Archivée le {formatShortDate(e.archivedAt)}</Badge>{" "}
          <span className="fr-text--sm">
            Elle n'est plus proposée dans les recherches, les orientations ni les invitations.
          </span>
        </p>
      )}
      {saved && <p role="status">{saved}</p>}
      {mayEdit && (
        <div className="fr-mb-3w">
          <ArchiveButton
            target={{ kind: "entry", id: e.id, name: e.name }}
            archived={e.archivedAt !== null}
            onDone={setSaved}
          />
        </div>
      )}
      <dl className="fr-mb-4w">
        <dt className="fr-text--bold">Territoire couvert</dt>
        <dd>{e.area || "—"}</dd>
        {e.siret && (
          <>
            <dt className="fr-text--bold">SIRET</dt>
            <dd>{e.siret.replace(/^(\d{3})(\d{3})(\d{3})(\d{5})$/, "$1 $2 $3 $4")}</dd>
          </>
        )}
        <dt className="fr-text--bold">Services proposés</dt>
        <dd>
          {e.services.length === 0
            ? "—"
            : e.services.map((s) => (
                <Badge key={s} small noIcon className="fr-mr-1v">
                  {directoryServiceLabels[s]}
                </Badge>
              ))}
        </dd>
        <dt className="fr-text--bold">Adresse</dt>
        <dd>{e.address || "—"}</dd>
        <dt className="fr-text--bold">Téléphone</dt>
        <dd>{formatPhone(e.phone)}</dd>
        <dt className="fr-text--bold">Adresse électronique</dt>
        <dd>{e.email || "—"}</dd>
        {e.website && (
          <>
            <dt className="fr-text--bold">Site internet</dt>
            <dd>{e.website}</dd>
          </>
        )}
        {e.notes && (
          <>
            <dt className="fr-text--bold">Remarques</dt>
            <dd>{e.notes}</dd>
          </>
        )}
      </dl>
      <h2>Contacts</h2>
      {e.contacts.length === 0 ? (
        <p>Aucun contact nommé pour l'instant.</p>
      ) : (
        <ScrollableTable
          // On a phone each contact is a card: its e-mail and telephone are not hidden off to the side.
          stacked
          caption={`Contacts ${ofPlace(e.name)}`}
          // The "Contacts" heading just above names the table on screen; the caption stays for screen readers.
          noCaption
          headers={[
            "Nom",
            "Fonction",
            "Adresse électronique",
            "Téléphone",
            "Lettre d'information",
            ...(mayEdit && !e.archivedAt ? ["Archivage"] : []),
          ]}
          data={e.contacts.map((c) => [
            <span key="name">
              {c.name}
              {c.archivedAt && (
                <>
                  {" "}
                  <Badge small severity="warning" noIcon>
                    Archivé le {formatShortDate(c.archivedAt)}
                  </Badge>
                </>
              )}
            </span>,
            c.function || "—",
            c.email || "—",
            formatPhone(c.phone),
            c.archivedAt ? "Non envoyée (archivé)" : newsletterText(c),
            ...(mayEdit && !e.archivedAt
              ? [
                  <ArchiveButton
                    key="archive"
                    target={{ kind: "contact", id: c.id, name: c.name }}
                    archived={c.archivedAt !== null}
                    onDone={setSaved}
                  />,
                ]
              : []),
          ])}
        />
      )}
      {mayEdit && !e.archivedAt && (
        <div className="fr-accordions-group fr-mb-4w">
          <Accordion label="Ajouter un contact">
            <ContactForm entryId={e.id} onSaved={refresh} />
          </Accordion>
          {activeContacts.map((c) => (
            <Accordion key={c.id} label={`Modifier le contact ${c.name}`}>
              <ContactForm entryId={e.id} contact={c} onSaved={refresh} />
            </Accordion>
          ))}
          <Accordion label="Modifier l'organisation">
            <EntryForm structureId={e.structureId} entry={e} onSaved={refresh} />
          </Accordion>
        </div>
      )}
    </>
  );
}

/** The direction adds an organisation, then lands on its page to add its contacts. */
export function NewDirectoryEntryPage(): ReactNode {
  usePageTitle("Ajouter une organisation à l'annuaire");
  const { structureId } = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  if (!structureId) return null;
  return (
    <>
      <p>
        <Link to="/annuaire">Annuaire des partenaires</Link>
      </p>
      <h1>Ajouter une organisation à l'annuaire</h1>
      <EntryForm
        structureId={structureId}
        onSaved={async (saved) => {
          await queryClient.invalidateQueries({ queryKey: ["directory"] });
          navigate(`/annuaire/${saved.id}`);
        }}
      />
    </>
  );
}
