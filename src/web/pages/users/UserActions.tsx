import { Button } from "@codegouvfr/react-dsfr/Button";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { agendaRoutes } from "../../../common/agenda/agenda.routes";
import type { RouteContract } from "../../../common/contract";
import { ofName } from "../../../common/placeName";
import type { Role } from "../../../common/roles";
import { structuresRoutes } from "../../../common/structures/structures.routes";
import type { StructureUser } from "../../../common/structures/structures.schema";
import { call } from "../../api/client";
import { useMutation } from "../../api/useMutation";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useStepFocus } from "../../components/useStepFocus";
import { EditRolesForm } from "./EditRolesForm";
import { type LeavingPermanences, leavingPermanences } from "./leavingPermanences";
import { ResetPasswordAction } from "./ResetPasswordAction";
import { TrainingForm } from "./TrainingForm";

type Pending = null | "edit" | "training" | "end" | "disableAccount";

/** One action of the row, run after a confirmation when it takes an access away. */
function useUserAction(structureId: string, onDone: () => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ route, params }: { route: RouteContract; params: Record<string, string> }) =>
      call(route, { params }),
    onSuccess: async () => {
      onDone();
      await queryClient.invalidateQueries({ queryKey: ["structure", structureId, "users"] });
      // A deactivation takes the agent out of the permanences (ADR 0016 addendum): what was read of
      // them is dropped, so that no page shows the weekly hours with her before reading them again.
      queryClient.removeQueries({ queryKey: ["openings", structureId] });
    },
  });
}

/** What the confirmation must read before it may be confirmed (the permanences an agent leaves). */
interface DetailRead {
  /** Not read yet (or read again after a failure): said, and the confirmation waits. */
  reading: boolean;
  /** The read failed: said with « Réessayer », and the confirmation waits. */
  error: unknown;
  /** « Lecture des permanences de … », while it is read. */
  loadingText: string;
  /** The failure's title: what cannot be read. */
  errorTitle: string;
}

function Confirm({
  text,
  detail,
  read,
  label,
  onConfirm,
  onCancel,
  busy,
  error,
}: {
  text: string;
  /** What else the action changes: the permanences the agent leaves, one item each. */
  detail?: LeavingPermanences | null;
  /** The read `detail` comes from, when there is one: confirming waits for it. */
  read?: DetailRead;
  label: string;
  onConfirm: () => void;
  onCancel: () => void;
  busy: boolean;
  error: unknown;
}): ReactNode {
  const waiting = Boolean(read && (read.reading || read.error));
  return (
    <div role="alert" aria-busy={read?.reading ?? false}>
      <p className="fr-text--sm fr-mb-1w">{text}</p>
      {read?.reading && <p className="fr-text--sm fr-mb-1w">{read.loadingText}</p>}
      {read?.error && !read.reading ? <ErrorAlert error={read.error} title={read.errorTitle} /> : null}
      {!waiting && detail && (
        <>
          <p className="fr-text--sm fr-mb-1v">{detail.lead}</p>
          <ul className="fr-text--sm fr-mb-1w">
            {detail.items.map((item) => (
              <li key={item}>{item}</li>
            ))}
          </ul>
          <p className="fr-text--sm fr-mb-1w">{detail.tail}</p>
        </>
      )}
      <ErrorAlert error={error} />
      <Button size="small" onClick={onConfirm} disabled={busy || waiting} className="fr-mr-1w fr-mb-1w">
        {label}
      </Button>
      <Button size="small" priority="tertiary" onClick={onCancel}>
        Annuler
      </Button>
    </div>
  );
}

/**
 * A counselor, or a CPIP (a volunteer may be trained before becoming one): whose France services
 * training the list shows and offers to record (ADR 0038). The server accepts it for any agent.
 */
export const mayHoldPermanences = (user: StructureUser): boolean =>
  user.roles.includes("counselor") || user.roles.includes("probation_officer");

/**
 * The direction's actions on an agent's membership of this structure; a platform administrator
 * may also disable the account itself (every structure).
 */
export function UserActions({
  structureId,
  user,
  self,
  grantable,
}: {
  structureId: string;
  user: StructureUser;
  self: boolean;
  grantable: Role[];
}): ReactNode {
  const [pending, setPending] = useState<Pending>(null);
  // What an action without a form or a confirmation did, said in the row (the invitation resent).
  const [said, setSaid] = useState<string | null>(null);
  const action = useUserAction(structureId, () => setPending(null));
  // The permanences the agent holds, read when the direction asks to deactivate her: the
  // confirmation waits for them, so that it is never given before they are listed.
  const readsPermanences = pending === "end" && mayHoldPermanences(user);
  const openings = useQuery({
    queryKey: ["openings", structureId],
    queryFn: () => call(agendaRoutes.openings, { params: { structureId } }),
    enabled: readsPermanences,
  });
  // The row's buttons give way to a form or a confirmation, and back: the focus follows. After an
  // action that changes the buttons (deactivated, reactivated), it goes to the row's first one.
  const step = useStepFocus(
    `${pending ?? ""}|${action.isSuccess ? action.submittedAt : ""}`,
    pending ? () => setPending(null) : undefined,
  );
  // Another action on the row: what the last one said no longer stands beside its buttons.
  const open = (next: Exclude<Pending, null>) =>
    step.opens(() => {
      setSaid(null);
      setPending(next);
    });
  if (self) return <span className="fr-text--sm">Votre compte</span>;
  const can = user.permissions;
  if (!can.changeRoles && !can.disableAccount && !can.enableAccount) {
    return <span className="fr-text--sm">Géré par un administrateur de la plateforme</span>;
  }
  const inStructure = { structureId, userId: user.id };
  const run = (route: RouteContract, params: Record<string, string>) => action.mutate({ route, params });
  // The agent's name, for those who list the page's buttons: each row has the same ones.
  const whose = <span className="fr-sr-only"> : {user.displayName}</span>;
  if (pending === "edit") {
    return (
      <div ref={step.box}>
        <EditRolesForm
          structureId={structureId}
          user={user}
          grantable={grantable}
          onClose={() => setPending(null)}
        />
      </div>
    );
  }
  if (pending === "training") {
    return (
      <div ref={step.box}>
        <TrainingForm structureId={structureId} user={user} onClose={() => setPending(null)} />
      </div>
    );
  }
  if (pending === "end") {
    return (
      <div ref={step.box}>
        <Confirm
          text={`Désactiver ${user.displayName} dans cette structure ? ${user.displayName} perd ${user.roles.some((r) => r === "probation_officer" || r === "counselor") ? "l'accès à ses personnes et à ses rendez-vous ici" : "son accès à cette structure"} dès sa prochaine action ; ses autres structures ne changent pas.`}
          detail={leavingPermanences(openings.data, user.id)}
          read={
            readsPermanences
              ? {
                  reading: !openings.data && (openings.isFetching || !openings.error),
                  error: openings.data ? null : openings.error,
                  loadingText: `Lecture des permanences de ${user.displayName}…`,
                  errorTitle: `Les permanences de ${user.displayName} ne peuvent pas être lues pour l'instant`,
                }
              : undefined
          }
          label="Confirmer la désactivation"
          onConfirm={() => run(structuresRoutes.disableUser, inStructure)}
          onCancel={() => setPending(null)}
          busy={action.isPending}
          error={action.error}
        />
      </div>
    );
  }
  if (pending === "disableAccount") {
    return (
      <div ref={step.box}>
        <Confirm
          text={`Désactiver le compte ${ofName(user.displayName)} dans toutes les structures ? Ses sessions seront fermées immédiatement et il ne pourra plus se connecter.`}
          label="Confirmer : désactiver le compte"
          onConfirm={() => run(structuresRoutes.disableAccount, { userId: user.id })}
          onCancel={() => setPending(null)}
          busy={action.isPending}
          error={action.error}
        />
      </div>
    );
  }
  return (
    <div ref={step.box}>
      <ErrorAlert error={action.error} />
      <p role="status" className={said ? "fr-text--sm fr-mb-1w" : "fr-sr-only"}>
        {said}
      </p>
      <ul className="fr-btns-group fr-btns-group--sm fr-btns-group--inline-lg">
        {can.changeRoles && user.activeInStructure && (
          <li>
            <Button size="small" priority="secondary" onClick={open("edit")}>
              Modifier les rôles{whose}
            </Button>
          </li>
        )}
        {can.recordTraining && user.activeInStructure && (user.training || mayHoldPermanences(user)) && (
          <li>
            <Button size="small" priority="secondary" onClick={open("training")}>
              {user.training ? "Modifier la formation" : "Enregistrer la formation"}
              {whose}
            </Button>
          </li>
        )}
        {can.deactivate && (
          <li>
            <Button size="small" priority="secondary" onClick={open("end")}>
              Désactiver dans la structure{whose}
            </Button>
          </li>
        )}
        {can.resendInvitation && (
          <li>
            <Button
              size="small"
              priority="tertiary"
              disabled={action.isPending}
              onClick={() => {
                setSaid(null);
                action.mutate(
                  { route: structuresRoutes.resendInvitation, params: inStructure },
                  { onSuccess: () => setSaid(`Invitation renvoyée à ${user.email}.`) },
                );
              }}
            >
              Renvoyer l'invitation{whose}
            </Button>
          </li>
        )}
        {can.resetPassword && (
          <li>
            <ResetPasswordAction structureId={structureId} user={user} />
          </li>
        )}
        {can.reactivate && (
          <li>
            <Button
              size="small"
              priority="secondary"
              disabled={action.isPending}
              onClick={() => run(structuresRoutes.enableUser, inStructure)}
            >
              Réactiver dans la structure{whose}
            </Button>
          </li>
        )}
        {(can.disableAccount || can.enableAccount) && (
          <li>
            {can.enableAccount ? (
              <Button
                size="small"
                priority="tertiary"
                disabled={action.isPending}
                onClick={() => run(structuresRoutes.enableAccount, { userId: user.id })}
              >
                Réactiver le compte{whose}
              </Button>
            ) : (
              <Button size="small" priority="tertiary" onClick={open("disableAccount")}>
                Désactiver le compte (toutes structures){whose}
              </Button>
            )}
          </li>
        )}
      </ul>
    </div>
  );
}
