import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useState } from "react";
import { Link } from "react-router";
import { actionsRoutes } from "../../../common/actions/actions.routes";
import type { SeriesKind } from "../../../common/actions/actions.schema";
import type {
  WorkingGroup,
  WorkingGroupMeeting,
  WorkingGroupMember,
} from "../../../common/actions/workingGroup.schema";
import { call } from "../../api/client";
import { useSession } from "../../api/session";
import { useMutation } from "../../api/useMutation";
import { ConfirmBox } from "../../components/ConfirmBox";
import { formatDateTime, formatTime } from "../../components/dates";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useFormErrors } from "../../components/form/useFormErrors";
import { ScrollableTable } from "../../components/ScrollableTable";
import { useStepFocus } from "../../components/useStepFocus";
import { StatusBadge } from "./ActionsPage";
import { NextMeetingForm } from "./NextMeetingForm";

/** The words of a series: a working group, or the steering committee. */
interface SeriesWords {
  /** "du groupe", "du comité". */
  of: string;
  /** "au groupe", "au comité". */
  to: string;
  /** "Membres du groupe de travail". */
  membersTitle: string;
  /** "Réunions du groupe". */
  meetingsTitle: string;
  /** What the empty list asks the manager to do. */
  emptyHint: string;
}
const wordsOf: Record<SeriesKind, SeriesWords> = {
  working_group: {
    of: "du groupe",
    to: "au groupe",
    membersTitle: "Membres du groupe de travail",
    meetingsTitle: "Réunions du groupe",
    emptyHint:
      " Ajoutez les agents et les partenaires qui suivent ce groupe : ils seront invités à chaque réunion.",
  },
  steering_committee: {
    of: "du comité",
    to: "au comité",
    membersTitle: "Membres du comité de pilotage",
    meetingsTitle: "Réunions du comité",
    emptyHint:
      " Ajoutez les membres du comité — préfecture, direction du SPIP, association, représentants des opérateurs nationaux, animateur départemental France services : ils seront invités à chaque réunion.",
  },
};

/**
 * What removing the member does to the invitations already sent, in words. An archived contact or
 * a disabled agent receives no e-mail (ADR 0031): their invitations are cancelled silently.
 */
function withdrawalText(member: WorkingGroupMember): string {
  const count = member.upcomingInvitations;
  if (count === 0) return "Aucune invitation à une réunion à venir n'est à annuler.";
  const silently =
    member.kind === "contact"
      ? "sans courriel : le contact est archivé"
      : "sans courriel : le compte de l'agent est désactivé";
  if (count === 1)
    return member.archived
      ? `Son invitation à la réunion à venir sera annulée, ${silently}.`
      : "Son invitation à la réunion à venir sera annulée : il ou elle recevra une annulation par courriel.";
  return member.archived
    ? `Ses ${count} invitations aux réunions à venir seront annulées, ${silently}.`
    : `Ses ${count} invitations aux réunions à venir seront annulées : il ou elle recevra une annulation par courriel pour chacune.`;
}

function Members({
  actionId,
  group,
  words,
}: {
  actionId: string;
  group: WorkingGroup;
  words: SeriesWords;
}): ReactNode {
  const queryClient = useQueryClient();
  const [removing, setRemoving] = useState<WorkingGroupMember | null>(null);
  const [done, setDone] = useState<string | null>(null);
  // The question, under the table, takes the focus; "Garder ce membre" or Échap give it back to the
  // row's « Retirer » that asked it (useStepFocus).
  const step = useStepFocus(removing?.id ?? null, removing ? () => setRemoving(null) : undefined);
  const remove = useMutation({
    mutationFn: (member: WorkingGroupMember) =>
      call(actionsRoutes.removeMember, { params: { actionId, memberId: member.id } }),
    onSuccess: async (_group, member) => {
      // The member's row, and its button, are leaving the table: the focus is not sent back to it.
      step.quiet();
      setRemoving(null);
      setDone(
        `${member.name} ne fait plus partie ${words.of}.${member.upcomingInvitations > 0 ? ` ${member.upcomingInvitations === 1 ? "Une invitation annulée" : `${member.upcomingInvitations} invitations annulées`}.` : ""}`,
      );
      await queryClient.invalidateQueries({ queryKey: ["working-group"] });
      await queryClient.invalidateQueries({ queryKey: ["convocations", "action"] });
    },
  });
  const ask = (member: WorkingGroupMember) => {
    remove.reset();
    setDone(null);
    setRemoving(member);
  };
  const manage = group.permissions.manage;
  const status = done && <p role="status">{done}</p>;
  if (group.members.length === 0)
    return (
      <>
        {status}
        <p>
          Aucun membre pour l'instant.
          {manage && words.emptyHint}
        </p>
      </>
    );
  return (
    <>
      {status}
      <ScrollableTable
        stacked
        caption={`Agents et partenaires membres ${words.of}`}
        headers={["Membre", "Organisation ou qualité", "Adresse électronique", ...(manage ? ["Action"] : [])]}
        data={group.members.map((m) => [
          <span key="name">
            {m.name}{" "}
            {m.archived && (
              <Badge small severity="warning" noIcon>
                {m.kind === "contact"
                  ? "Archivé : plus invité ni prévenu"
                  : "Compte désactivé : plus invité ni prévenu"}
              </Badge>
            )}
          </span>,
          m.detail || "—",
          m.email || "—",
          ...(manage
            ? [
                <Button key="remove" size="small" priority="tertiary" onClick={step.opens(() => ask(m))}>
                  Retirer<span className="fr-sr-only"> {m.name}</span>
                </Button>,
              ]
            : []),
        ])}
      />
      {removing && (
        <ConfirmBox
          boxRef={step.box}
          className="fr-mb-3w"
          title={`Retirer ${removing.name} ${words.of} ?`}
          confirmLabel="Confirmer le retrait"
          keepLabel="Garder ce membre"
          onConfirm={() => remove.mutate(removing)}
          onKeep={() => setRemoving(null)}
          busy={remove.isPending}
          error={remove.error}
        >
          <p>
            Il ou elle ne sera plus invité·e aux prochaines réunions. {withdrawalText(removing)} Les réunions
            passées gardent leur historique.
          </p>
        </ConfirmBox>
      )}
    </>
  );
}

function AddMember({
  actionId,
  group,
  options,
  words,
  committee,
}: {
  actionId: string;
  group: WorkingGroup;
  options: {
    agents: { id: string; name: string }[];
    steeringAgents: { id: string; name: string }[];
    contacts: { id: string; name: string; organisation: string }[];
  };
  words: SeriesWords;
  /** The steering committee also seats the structure's steering accounts. */
  committee: boolean;
}): ReactNode {
  const queryClient = useQueryClient();
  const [chosen, setChosen] = useState("");
  const [added, setAdded] = useState<string | null>(null);
  const errors = useFormErrors(
    "member",
    { member: "Membre à ajouter" } as const,
    { "collectiveAction.alreadyMember": "member", "collectiveAction.unknownChoice": "member" },
    "Le membre n'a pas été ajouté",
  );
  const taken = new Set(group.members.map((m) => m.refId));
  const agents = options.agents.filter((a) => !taken.has(a.id));
  const steeringAgents = committee ? options.steeringAgents.filter((a) => !taken.has(a.id)) : [];
  const contacts = options.contacts.filter((c) => !taken.has(c.id));
  const add = useMutation({
    mutationFn: () => {
      const [kind, id] = chosen.split(":");
      return call(actionsRoutes.addMember, {
        params: { actionId },
        body: kind === "agent" ? { userId: id ?? null } : { directoryContactId: id || null },
      });
    },
    onSuccess: async () => {
      const label =
        [...agents, ...steeringAgents, ...contacts].find((o) => chosen.endsWith(o.id))?.name ?? "Le membre";
      setAdded(`${label} fait partie ${words.of} ; il ou elle est invité·e aux réunions à venir.`);
      setChosen("");
      await queryClient.invalidateQueries({ queryKey: ["working-group"] });
      await queryClient.invalidateQueries({ queryKey: ["convocations", "action"] });
    },
    onError: (error) => errors.showApiError(error),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    errors.clear();
    setAdded(null);
    add.mutate();
  };
  return (
    <form onSubmit={submit} noValidate className="fr-mt-3w">
      {errors.summary}
      {added && <p role="status">{added}</p>}
      <Select
        label="Membre à ajouter"
        hint="Un agent de la structure ou un contact de l'annuaire (les contacts archivés ne sont pas proposés)."
        {...errors.state("member")}
        nativeSelectProps={{
          ...errors.native("member"),
          value: chosen,
          onChange: (e) => setChosen(e.target.value),
        }}
      >
        <option value="">Choisissez un membre</option>
        <optgroup label="Agents de la structure">
          {agents.map((a) => (
            <option key={a.id} value={`agent:${a.id}`}>
              {a.name}
            </option>
          ))}
        </optgroup>
        {steeringAgents.length > 0 && (
          <optgroup label="Comptes du comité de pilotage">
            {steeringAgents.map((a) => (
              <option key={a.id} value={`agent:${a.id}`}>
                {a.name}
              </option>
            ))}
          </optgroup>
        )}
        <optgroup label="Contacts de l'annuaire">
          {contacts.map((c) => (
            <option key={c.id} value={`contact:${c.id}`}>
              {c.name} — {c.organisation}
            </option>
          ))}
        </optgroup>
      </Select>
      <Button type="submit" priority="secondary" disabled={add.isPending}>
        Ajouter {words.to}
      </Button>
    </form>
  );
}

function Meeting({ meeting, current }: { meeting: WorkingGroupMeeting; current: boolean }): ReactNode {
  return (
    <li className="fr-mb-3w">
      <p className="fr-mb-1v">
        <strong>
          {current ? (
            `${formatDateTime(meeting.startsAt)} – ${formatTime(meeting.endsAt)} (cette réunion)`
          ) : (
            <Link to={`/actions/${meeting.id}`}>
              {formatDateTime(meeting.startsAt)} – {formatTime(meeting.endsAt)}
            </Link>
          )}
        </strong>{" "}
        <StatusBadge status={meeting.status} />
      </p>
      <p className="fr-mb-1v fr-text--sm">Lieu : {meeting.place}</p>
      <MeetingNotes minutes={meeting.minutes} decisions={meeting.decisions} />
    </li>
  );
}

/**
 * A working group's or the steering committee's page: its members, the meetings of its series, and
 * the next meeting to plan.
 */
export function WorkingGroupSection({ actionId, kind }: { actionId: string; kind: SeriesKind }): ReactNode {
  const words = wordsOf[kind];
  const { structureId } = useSession();
  const query = useQuery({
    queryKey: ["working-group", actionId],
    queryFn: () => call(actionsRoutes.workingGroup, { params: { actionId } }),
  });
  const manage = query.data?.permissions.manage ?? false;
  const options = useQuery({
    queryKey: ["actions", structureId, "options"],
    queryFn: () => call(actionsRoutes.options, { params: { structureId: structureId ?? "" } }),
    enabled: Boolean(structureId) && manage,
  });
  if (query.error) return <ErrorAlert error={query.error} />;
  const group = query.data;
  if (!group)
    return (
      <p>Chargement {kind === "steering_committee" ? "du comité de pilotage" : "du groupe de travail"}…</p>
    );
  const now = Date.now();
  const upcoming = group.meetings.filter((m) => new Date(m.endsAt).getTime() >= now);
  const past = group.meetings.filter((m) => new Date(m.endsAt).getTime() < now).reverse();
  return (
    <>
      <section className="fr-mb-6w">
        <h2>{words.membersTitle}</h2>
        <Members actionId={actionId} group={group} words={words} />
        {manage && options.data && (
          <AddMember
            actionId={actionId}
            group={group}
            options={options.data}
            words={words}
            committee={kind === "steering_committee"}
          />
        )}
      </section>
      <section className="fr-mb-6w">
        <h2>{words.meetingsTitle}</h2>
        <h3 className="fr-h5">À venir</h3>
        {upcoming.length === 0 ? (
          <p>Aucune réunion à venir.</p>
        ) : (
          <ul>
            {upcoming.map((m) => (
              <Meeting key={m.id} meeting={m} current={m.id === actionId} />
            ))}
          </ul>
        )}
        <h3 className="fr-h5">Passées</h3>
        {past.length === 0 ? (
          <p>Aucune réunion passée.</p>
        ) : (
          <ul>
            {past.map((m) => (
              <Meeting key={m.id} meeting={m} current={m.id === actionId} />
            ))}
          </ul>
        )}
        {manage && options.data && (
          <NextMeetingForm actionId={actionId} group={group} sites={options.data.sites} of={words.of} />
        )}
      </section>
    </>
  );
}

/** A meeting's minutes and decisions, each under its title, when written. */
export function MeetingNotes({ minutes, decisions }: { minutes: string; decisions: string }): ReactNode {
  return (
    <>
      {minutes && (
        <>
          <p className="fr-mb-0 fr-text--bold fr-text--sm">Compte rendu</p>
          <p className="fr-text--sm" style={{ whiteSpace: "pre-line" }}>
            {minutes}
          </p>
        </>
      )}
      {decisions && (
        <>
          <p className="fr-mb-0 fr-text--bold fr-text--sm">Décisions</p>
          <p className="fr-text--sm" style={{ whiteSpace: "pre-line" }}>
            {decisions}
          </p>
        </>
      )}
    </>
  );
}
