import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { useQuery } from "@tanstack/react-query";
import { type ReactNode, useEffect, useRef, useState } from "react";
import { useParams, useSearchParams } from "react-router";
import { actionsRoutes } from "../../../common/actions/actions.routes";
import { actionKindLabels, invitationTokenParamsSchema } from "../../../common/actions/actions.schema";
import { errors } from "../../../common/errors";
import { ApiError, call } from "../../api/client";
import { useMutation } from "../../api/useMutation";
import { formatDateTime, formatTime } from "../../components/dates";
import { ErrorAlert } from "../../components/ErrorAlert";
import { usePageTitle } from "../../components/pageTitle";

/**
 * The page of a partner's invitation link (no account): the action, never a person's data. The
 * answer is recorded only on a click (a mail scanner opening the link changes nothing).
 */
function malformedLink(): ApiError {
  const e = errors.collectiveAction.invitationNotFound();
  return new ApiError(e.status, { code: e.code, message: e.message });
}

export function InvitationPage(): ReactNode {
  usePageTitle("Invitation à une action collective");
  const { token = "" } = useParams();
  const [search] = useSearchParams();
  const suggested = search.get("reponse");
  // A link cut or mistyped (not a token's shape) is no invitation either: said as for an unknown one.
  const wellFormed = invitationTokenParamsSchema.safeParse({ token }).success;
  const query = useQuery({
    queryKey: ["invitation", token],
    queryFn: () => call(actionsRoutes.publicInvitation, { params: { token } }),
    retry: false,
    enabled: wellFormed,
  });
  // Once an answer is recorded, its confirmation takes the focus: the button clicked is now disabled.
  const [answered, setAnswered] = useState(0);
  const answerNotice = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (answered > 0) answerNotice.current?.focus();
  }, [answered]);
  const answer = useMutation({
    mutationFn: (value: "yes" | "no") =>
      call(actionsRoutes.publicAnswer, { params: { token }, body: { answer: value } }),
    onSuccess: (view) =>
      query.refetch().then(() => {
        setAnswered((n) => n + 1);
        return view;
      }),
  });
  const error = wellFormed ? query.error : malformedLink();
  if (error) {
    const notFound = error instanceof ApiError && error.status === 404;
    return (
      <div className="fr-col-12 fr-col-md-8">
        <h1>{notFound ? "Invitation introuvable" : "Invitation à une action collective"}</h1>
        <ErrorAlert
          error={error}
          title={notFound ? "Ce lien ne correspond à aucune invitation" : undefined}
        />
        {notFound && (
          <p>
            Si vous avez reçu une invitation plus récente (modification de la date ou du lieu), utilisez le
            lien de ce dernier courriel.
          </p>
        )}
      </div>
    );
  }
  if (!query.data) return <p>Chargement…</p>;
  const v = query.data;
  return (
    <div className="fr-col-12 fr-col-md-8">
      <h1>{v.title}</h1>
      <p className="fr-text--lead">
        {v.structureName} vous invite, {v.inviteeName}, à cette action ({actionKindLabels[v.kind]}).
      </p>
      <ul>
        <li>
          Date : {formatDateTime(v.startsAt)} – fin à {formatTime(v.endsAt)}
        </li>
        <li>Lieu : {v.place}</li>
      </ul>
      {v.description && <p>{v.description}</p>}
      {v.state === "cancelled" && (
        <Alert
          severity="warning"
          title="Cette action est annulée"
          description="Cette invitation est close."
        />
      )}
      {v.state === "withdrawn" && (
        <Alert
          severity="warning"
          title="Votre invitation est annulée"
          description="Vous ne faites plus partie des membres invités à cette réunion : vous n'avez pas à répondre."
        />
      )}
      {v.state === "closed" && (
        <Alert
          severity="info"
          title="Cette invitation est close"
          description="L'action a commencé : la réponse ne peut plus être modifiée."
        />
      )}
      {v.answer && (
        <div ref={answerNotice} tabIndex={-1}>
          <Alert
            className="fr-mb-3w"
            severity="success"
            title={
              v.answer === "yes" ? "Votre réponse : je participe" : "Votre réponse : je ne participe pas"
            }
            description={v.state === "open" ? "Vous pouvez changer d'avis jusqu'au début de l'action." : ""}
          />
        </div>
      )}
      <ErrorAlert error={answer.error} title="Votre réponse n'a pas été enregistrée" />
      {v.state === "open" && (
        <ul className="fr-btns-group fr-btns-group--inline-md">
          <li>
            <Button
              priority={suggested === "non" ? "secondary" : "primary"}
              onClick={() => answer.mutate("yes")}
              disabled={answer.isPending || v.answer === "yes"}
            >
              Je participe
            </Button>
          </li>
          <li>
            <Button
              priority={suggested === "non" ? "primary" : "secondary"}
              onClick={() => answer.mutate("no")}
              disabled={answer.isPending || v.answer === "no"}
            >
              Je ne participe pas
            </Button>
          </li>
        </ul>
      )}
    </div>
  );
}
