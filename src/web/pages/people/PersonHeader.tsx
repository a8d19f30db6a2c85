import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import type { ReactNode } from "react";
import { demarcheStatusLabels } from "../../../common/accompaniment/accompaniment.schema";
import { needDomainList } from "../../../common/agenda/agenda.schema";
import { closingReasonLabels, sexLabels } from "../../../common/people/closing.schema";
import { type PersonFile, readsFrenchLabels } from "../../../common/people/people.schema";
import { formatPhone } from "../../../common/phone";
import { measureTypeLabels, personStatusLabels } from "../../../common/roles";
import { formatAppointment, formatDate, formatDateTime } from "../../components/dates";
import { ArchivedNotice, DataExportLinks } from "../retention/FileRetention";

function Item({ label, children }: { label: string; children: ReactNode }): ReactNode {
  return (
    <div className="fr-col-12 fr-col-sm-6 fr-col-lg-4">
      <dt className="fr-text--sm fr-mb-0" style={{ color: "var(--text-mention-grey)" }}>
        {label}
      </dt>
      <dd className="fr-mb-1w" style={{ marginInlineStart: 0 }}>
        {children}
      </dd>
    </div>
  );
}

/** The essentials of a file on one screen: identity, contacts, measure, referent, consent, what is open. */
export function PersonHeader({
  file,
  onClose,
  onReopen,
  onChangeReferent,
}: {
  file: PersonFile;
  /** Each opens its dialog from the button clicked, which gets the focus back when it closes. */
  onClose(event: { currentTarget: HTMLElement }): void;
  onReopen(event: { currentTarget: HTMLElement }): void;
  onChangeReferent(event: { currentTarget: HTMLElement }): void;
}): ReactNode {
  const p = file;
  const s = p.summary;
  const measure = p.measures[0];
  return (
    <section aria-labelledby="person-name" className="fr-card fr-card--no-arrow fr-p-3w fr-mb-3w">
      <div className="fr-grid-row fr-grid-row--middle fr-mb-1w" style={{ gap: "0.5rem" }}>
        <h1 id="person-name" className="fr-h2 fr-mb-0 fr-mr-2w">
          {p.lastName.toUpperCase()} {p.firstName}
        </h1>
        <Badge severity="info">{personStatusLabels[p.status]}</Badge>
        {p.closure && <Badge severity="warning">Dossier clôturé</Badge>}
        {p.retention.archivedAt && <Badge severity="warning">Dossier archivé</Badge>}
      </div>
      <ArchivedNotice file={p} />
      {p.closure && (
        <div className="fr-alert fr-alert--warning fr-alert--sm fr-mb-2w" role="status">
          <p>
            Dossier clôturé le {formatDate(p.closure.closedOn)} :{" "}
            {closingReasonLabels[p.closure.reason].toLowerCase()}.{" "}
            {p.closure.note ? `${p.closure.note.trim().replace(/[.\s]*$/, "")}. ` : ""}Il est en lecture
            seule.
          </p>
          {p.permissions.reopen && (
            <Button size="small" priority="secondary" className="fr-mt-1w" onClick={onReopen}>
              Rouvrir le dossier
            </Button>
          )}
        </div>
      )}
      <dl className="fr-grid-row fr-grid-row--gutters fr-mb-1w">
        <Item label="Numéro de dossier">n° {p.fileNumber}</Item>
        <Item label="Naissance">
          {formatDate(p.birthDate)}
          {p.birthPlace ? ` à ${p.birthPlace}` : ""}
          {p.sex ? ` · ${sexLabels[p.sex]}` : ""}
        </Item>
        <Item label="Téléphone">
          {p.phone ? <a href={`tel:${p.phone}`}>{formatPhone(p.phone)}</a> : "Non renseigné"}
        </Item>
        <Item label="Adresse électronique">{p.email || "Non renseignée"}</Item>
        <Item label={p.domiciliation ? "Domiciliation" : "Adresse"}>
          {p.domiciliation || p.address || "Non renseignée"}
          {p.domiciliation && p.address ? ` (adresse : ${p.address})` : ""}
        </Item>
        <Item label="Langue parlée">{p.preferredLanguage || "Non renseignée"}</Item>
        <Item label="Lit le français">{readsFrenchLabels[p.readsFrench]}</Item>
        <Item label="Mesure">
          {measure ? `${measureTypeLabels[measure.type]}, fin le ${formatDate(measure.endDate)}` : "Aucune"}
        </Item>
        <Item label="CPIP référent">{p.referent ? p.referent.displayName : "Aucun"}</Item>
        <Item label="Consentement au partage">
          {s.consentSince ? `Recueilli le ${formatDate(s.consentSince.slice(0, 10))}` : "Aucun"}
        </Item>
        <Item label="Prochaine convocation">
          {s.nextConvocation ? (
            <a href="#convocations">
              {formatAppointment(s.nextConvocation.startsAt)}, {s.nextConvocation.siteName}
            </a>
          ) : (
            "Aucune"
          )}
        </Item>
        <Item label="Besoins ouverts">
          {s.openNeeds.length === 0 ? "Aucun" : needDomainList(s.openNeeds)}
        </Item>
        <Item label={`Démarches en cours (${s.openDemarches.length})`}>
          {s.openDemarches.length === 0
            ? "Aucune"
            : s.openDemarches
                .slice(0, 3)
                .map((d) => `${d.label} (${demarcheStatusLabels[d.status].toLowerCase()})`)
                .join(", ") + (s.openDemarches.length > 3 ? "…" : "")}
        </Item>
        <Item label="Dernière visite">{s.lastVisitAt ? formatDateTime(s.lastVisitAt) : "Aucune"}</Item>
      </dl>
      <ul className="fr-btns-group fr-btns-group--inline-sm fr-btns-group--sm fr-mb-0">
        {p.permissions.edit && (
          <li>
            <Button linkProps={{ to: `/personnes/${p.id}/convoquer` }}>Convoquer à une permanence</Button>
          </li>
        )}
        {p.permissions.editContacts && (
          <li>
            <Button priority="secondary" linkProps={{ to: `/personnes/${p.id}/modifier` }}>
              {p.permissions.edit ? "Modifier le dossier" : "Corriger les coordonnées"}
            </Button>
          </li>
        )}
        {p.permissions.changeReferent && (
          <li>
            <Button priority="secondary" onClick={onChangeReferent}>
              Changer de référent
            </Button>
          </li>
        )}
        {p.permissions.close && (
          <li>
            <Button priority="tertiary" onClick={onClose}>
              Clôturer le dossier
            </Button>
          </li>
        )}
        <DataExportLinks file={p} />
      </ul>
    </section>
  );
}
