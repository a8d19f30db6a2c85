import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useQuery } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useState } from "react";
import { auditRoutes } from "../../../common/audit/audit.routes";
import { structuresRoutes } from "../../../common/structures/structures.routes";
import { call } from "../../api/client";
import { useSession } from "../../api/session";
import { formatShortDateTime } from "../../components/dates";
import { ErrorAlert } from "../../components/ErrorAlert";
import { usePageTitle } from "../../components/pageTitle";
import { ScrollableTable } from "../../components/ScrollableTable";

const actionLabels: Record<string, string> = {
  "person.read": "Consultation d'un dossier",
  "person.data_read": "Consultation de données de personnes",
  "auth.login": "Connexion (mot de passe)",
  "auth.second_factor": "Connexion (double authentification)",
  "auth.logout": "Déconnexion",
  "account.password_changed": "Changement de mot de passe",
  "account.totp_enabled": "Activation de la double authentification",
  "account.totp_replaced": "Remplacement de la double authentification",
  "account.recovery_codes_regenerated": "Nouveaux codes de secours",
  "account.activated": "Activation d'un compte (choix du mot de passe)",
  "account.disabled": "Désactivation d'un compte (toutes structures)",
  "account.enabled": "Réactivation d'un compte",
  "membership.granted": "Attribution de rôles dans la structure",
  "membership.changed": "Modification des rôles dans la structure",
  "membership.ended": "Désactivation d'un agent dans la structure",
  "membership.reactivated": "Réactivation d'un agent dans la structure",
  "user.disabled": "Désactivation d'un agent (ancien journal)",
  "user.enabled": "Réactivation d'un agent (ancien journal)",
  "person.created": "Création d'un dossier",
  "person.merged": "Fusion de deux dossiers",
  "person.timeline_read": "Consultation de l'historique d'un dossier",
  "person.accompaniment_read": "Consultation de l'accompagnement",
  "person.notes_read": "Consultation des notes",
  "person.sms_opt_out": "Refus des SMS par la personne",
  "consent.recorded": "Recueil du consentement",
  "consent.revoked": "Retrait du consentement",
  "note.created": "Ajout d'une note",
  "convocation.booked": "Convocation",
  "convocation.honoured": "Convocation honorée",
  "convocation.missed": "Absence à une convocation",
  "convocation.excused": "Convocation annulée par la personne",
  "convocation.cancelled": "Convocation annulée par le service",
  "convocation.letter_printed": "Impression d'une lettre de convocation",
  "convocation.status_corrected": "Correction du statut d'une convocation",
  "convocation.arrived": "Arrivée notée à une convocation",
  "convocation.arrival_cleared": "Arrivée retirée d'une convocation",
  "visit.recorded": "Saisie d'une visite",
  "demarche.created": "Début d'une démarche",
  "demarche.updated": "Suivi d'une démarche",
  "orientation.created": "Orientation préparée",
  "orientation.sent": "Orientation envoyée",
  "orientation.cancelled": "Orientation annulée",
  "orientation.accepted": "Orientation acceptée",
  "orientation.refused": "Orientation refusée",
  "orientation.completed": "Résultat d'une orientation",
  "orientation.inbox_read": "Consultation des orientations reçues",
  "opening_rule.added": "Ajout d'une permanence",
  "opening_rule.ended": "Fin d'une permanence",
  "site.closed": "Fermeture d'un lieu",
  "counselor.absent": "Absence d'un conseiller",
  "notification.log_read": "Consultation du journal des SMS et courriels",
  "notification.settings_changed": "Réglages des SMS et courriels",
  "notification.template_changed": "Modification d'un modèle de message",
  "catalogue.partner_added": "Ajout d'un partenaire au catalogue",
  "catalogue.demarche_added": "Ajout d'une démarche au catalogue",
  "catalogue.demarche_changed": "Modification d'une démarche du catalogue",
  "reporting.list": "Liste nominative du pilotage",
  "reporting.nominativeExport": "Export nominatif du pilotage",
};
const outcomeLabels = { success: "Réussi", denied: "Refusé", failure: "Échec" } as const;

interface Filters {
  actorUserId: string;
  action: string;
  outcome: "" | "success" | "denied" | "failure";
  from: string;
  to: string;
}

export function AuditPage(): ReactNode {
  usePageTitle("Journal des accès et des actions");
  const { structureId } = useSession();
  const [draft, setDraft] = useState<Filters>({ actorUserId: "", action: "", outcome: "", from: "", to: "" });
  const [filters, setFilters] = useState<Filters>(draft);
  const [page, setPage] = useState(1);
  const query = useQuery({
    queryKey: ["audit", structureId, filters, page],
    queryFn: () =>
      call(auditRoutes.list, {
        query: {
          structureId: structureId ?? "",
          actorUserId: filters.actorUserId || undefined,
          action: filters.action || undefined,
          outcome: filters.outcome || undefined,
          from: filters.from || undefined,
          to: filters.to || undefined,
          page,
        },
      }),
    enabled: Boolean(structureId),
  });
  const agents = useQuery({
    queryKey: ["structure", structureId, "users"],
    queryFn: () => call(structuresRoutes.users, { params: { structureId: structureId ?? "" } }),
    enabled: Boolean(structureId),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setPage(1);
    setFilters(draft);
  };
  return (
    <>
      <h1>Journal des accès et des actions</h1>
      <p>
        Chaque consultation de dossier et chaque modification sont enregistrées. Le journal ne peut être ni
        modifié ni effacé.
      </p>
      <form
        onSubmit={submit}
        className="fr-grid-row fr-grid-row--gutters fr-mb-3w"
        aria-label="Filtres du journal"
      >
        <div className="fr-col-12 fr-col-md-2">
          <Select
            label="Agent"
            nativeSelectProps={{
              value: draft.actorUserId,
              onChange: (e) => setDraft({ ...draft, actorUserId: e.target.value }),
            }}
          >
            <option value="">Tous</option>
            {agents.data?.users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.displayName}
              </option>
            ))}
          </Select>
        </div>
        <div className="fr-col-12 fr-col-md-2">
          <Select
            label="Action"
            nativeSelectProps={{
              value: draft.action,
              onChange: (e) => setDraft({ ...draft, action: e.target.value }),
            }}
          >
            <option value="">Toutes</option>
            {Object.entries(actionLabels).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </Select>
        </div>
        <div className="fr-col-12 fr-col-md-2">
          <Select
            label="Résultat"
            nativeSelectProps={{
              value: draft.outcome,
              onChange: (e) => setDraft({ ...draft, outcome: e.target.value as Filters["outcome"] }),
            }}
          >
            <option value="">Tous</option>
            {Object.entries(outcomeLabels).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </Select>
        </div>
        <div className="fr-col-6 fr-col-md-2">
          <Input
            label="Du"
            nativeInputProps={{
              type: "date",
              value: draft.from,
              onChange: (e) => setDraft({ ...draft, from: e.target.value }),
            }}
          />
        </div>
        <div className="fr-col-6 fr-col-md-2">
          <Input
            label="Au"
            nativeInputProps={{
              type: "date",
              value: draft.to,
              onChange: (e) => setDraft({ ...draft, to: e.target.value }),
            }}
          />
        </div>
        <div className="fr-col-12 fr-col-md-2 fr-mt-md-4w">
          <Button type="submit">Filtrer</Button>
        </div>
      </form>
      <ErrorAlert error={query.error} />
      {query.data && query.data.events.length === 0 && <p>Aucun évènement pour ces critères.</p>}
      {query.data && query.data.events.length > 0 && (
        <>
          <ScrollableTable
            caption="Évènements du journal"
            noCaption
            headers={["Date (heure de Paris)", "Agent", "Action", "Cible", "Résultat", "Détail"]}
            data={query.data.events.map((e) => [
              formatShortDateTime(e.at),
              e.actorName ?? "—",
              actionLabels[e.action] ?? e.action,
              e.targetId ? `${e.targetType} ${e.targetId.slice(0, 8)}` : "—",
              outcomeLabels[e.outcome],
              e.reason || "—",
            ])}
          />
          <div>
            <Button
              priority="secondary"
              disabled={page === 1}
              onClick={() => setPage(page - 1)}
              className="fr-mr-2w"
            >
              Page précédente
            </Button>
            <Button priority="secondary" disabled={!query.data.hasMore} onClick={() => setPage(page + 1)}>
              Page suivante
            </Button>
          </div>
        </>
      )}
    </>
  );
}
