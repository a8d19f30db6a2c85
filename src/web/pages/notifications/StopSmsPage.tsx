import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import type { ReactNode } from "react";
import { useParams } from "react-router";
import { errors } from "../../../common/errors";
import { notificationsRoutes } from "../../../common/notifications/notifications.routes";
import { smsStopBodySchema } from "../../../common/notifications/notifications.schema";
import { ApiError, call } from "../../api/client";
import { useMutation } from "../../api/useMutation";
import { ErrorAlert } from "../../components/ErrorAlert";
import { usePageTitle } from "../../components/pageTitle";

function unknownLink(): ApiError {
  const e = errors.notification.unknownStopLink();
  return new ApiError(e.status, { code: e.code, message: e.message });
}

/** The personal link every SMS carries: no login, one confirmation. */
export function StopSmsPage(): ReactNode {
  usePageTitle("Ne plus recevoir de SMS");
  const { token = "" } = useParams();
  // A link cut or mistyped (not a token's shape) is said as an unknown one, in the person's words,
  // not as "the request holds invalid data".
  const wellFormed = smsStopBodySchema.safeParse({ token }).success;
  const stop = useMutation({
    mutationFn: () =>
      wellFormed ? call(notificationsRoutes.smsStop, { body: { token } }) : Promise.reject(unknownLink()),
  });
  return (
    <div className="fr-col-12 fr-col-md-8">
      <h1>Ne plus recevoir de SMS</h1>
      {stop.isSuccess ? (
        <Alert
          severity="success"
          title="C'est noté : vous ne recevrez plus de SMS de France services."
          description="Vos rendez-vous restent valables. Vous recevrez vos convocations par courrier ou par votre conseiller."
        />
      ) : (
        <>
          <p>
            Vous recevez des SMS pour vous rappeler vos rendez-vous France services. Si vous ne voulez plus en
            recevoir, confirmez ci-dessous. Vos rendez-vous ne sont pas annulés.
          </p>
          <ErrorAlert error={stop.error} title="Impossible d'enregistrer votre choix" />
          <Button onClick={() => stop.mutate()} disabled={stop.isPending}>
            Je ne veux plus recevoir de SMS
          </Button>
        </>
      )}
    </div>
  );
}
