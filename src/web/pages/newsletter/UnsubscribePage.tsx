import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { useParams } from "react-router";
import { errors } from "../../../common/errors";
import { newsletterRoutes } from "../../../common/newsletter/newsletter.routes";
import { tokenParamsSchema } from "../../../common/newsletter/newsletter.schema";
import { ofPlace } from "../../../common/placeName";
import { ApiError, call } from "../../api/client";
import { useMutation } from "../../api/useMutation";
import { ErrorAlert } from "../../components/ErrorAlert";
import { usePageTitle } from "../../components/pageTitle";

function unknownLink(): ApiError {
  const e = errors.newsletter.unknownLink();
  return new ApiError(e.status, { code: e.code, message: e.message });
}

/**
 * The link every newsletter carries: no login, one confirmation (opening the page changes nothing:
 * mail scanners follow links).
 */
export function UnsubscribePage(): ReactNode {
  usePageTitle("Se désabonner de la lettre d'information");
  const { token = "" } = useParams();
  // A link cut or mistyped (not a token's shape) is said as an unknown one, under this page's title
  // (not as a "page not found" inside it).
  const wellFormed = tokenParamsSchema.safeParse({ token }).success;
  const info = useQuery({
    queryKey: ["unsubscribe", token],
    queryFn: () => call(newsletterRoutes.unsubscribeInfo, { params: { token } }),
    retry: false,
    enabled: wellFormed,
  });
  const stop = useMutation({ mutationFn: () => call(newsletterRoutes.unsubscribe, { params: { token } }) });
  const already = info.data?.alreadyUnsubscribed || stop.data?.alreadyUnsubscribed;
  return (
    <div className="fr-col-12 fr-col-md-8">
      <h1>Se désabonner de la lettre d'information</h1>
      <ErrorAlert error={wellFormed ? info.error : unknownLink()} title="Lien de désabonnement invalide" />
      {info.data &&
        (already ? (
          <Alert
            severity="info"
            title="Vous êtes déjà désabonné"
            description={`L'adresse ${info.data.email} ne reçoit plus la lettre d'information ${ofPlace(info.data.structureName)}.`}
          />
        ) : stop.isSuccess ? (
          <Alert
            severity="success"
            title="C'est noté : vous ne recevrez plus la lettre d'information."
            description={`L'adresse ${info.data.email} est retirée des destinataires ${ofPlace(info.data.structureName)}.`}
          />
        ) : (
          <>
            <p>
              Vous recevez la lettre d'information de <strong>{info.data.structureName}</strong> à l'adresse{" "}
              <strong>{info.data.email}</strong>. Confirmez ci-dessous pour ne plus la recevoir.
            </p>
            <ErrorAlert error={stop.error} title="Impossible d'enregistrer votre choix" />
            <Button onClick={() => stop.mutate()} disabled={stop.isPending}>
              Je ne veux plus recevoir la lettre
            </Button>
          </>
        ))}
    </div>
  );
}
