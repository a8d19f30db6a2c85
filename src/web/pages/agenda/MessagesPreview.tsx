import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { agendaRoutes } from "../../../common/agenda/agenda.routes";
import type { MessagesPreview as Preview, SlotView } from "../../../common/agenda/agenda.schema";
import { formatPhone } from "../../../common/phone";
import { call } from "../../api/client";
import { ErrorAlert } from "../../components/ErrorAlert";
import type { YesNo } from "./SlotPicker";

/** A message's text as the person reads it, its line breaks kept. */
function Text({ text, testId }: { text: string; testId: string }): ReactNode {
  return (
    <div className="fr-callout fr-py-2w fr-mb-2w" data-testid={testId}>
      <p className="fr-mb-0" style={{ whiteSpace: "pre-line", overflowWrap: "anywhere" }}>
        {text}
      </p>
    </div>
  );
}

function Message({ m }: { m: Preview["messages"][number] }): ReactNode {
  if (m.channel === "sms")
    return (
      <>
        <h3 className="fr-h6 fr-mb-1w">SMS au {formatPhone(m.recipient)}</h3>
        {m.optedOut ? (
          <p>La personne a demandé à ne plus recevoir de SMS : aucun SMS ne partira.</p>
        ) : (
          <>
            <Text text={m.body} testId="apercu-sms" />
            {m.exampleStopLink && (
              <p className="fr-text--sm">
                Le lien « STOP SMS » est personnel : il sera créé avec le premier SMS de la personne (ici un
                exemple).
              </p>
            )}
          </>
        )}
      </>
    );
  return (
    <>
      <h3 className="fr-h6 fr-mb-1w" style={{ overflowWrap: "anywhere" }}>
        Courriel à {m.recipient}
      </h3>
      <p className="fr-mb-1w">
        <span className="fr-text--bold">Objet : </span>
        {m.subject}
      </p>
      <Text text={m.body} testId="apercu-courriel" />
    </>
  );
}

/**
 * What the person will receive if convoked as chosen (the server renders it with the outbox's own
 * text, nothing is sent nor stored), updated when the slot, the démarches or the channels change.
 */
export function MessagesPreview({
  personId,
  chosen,
  demarcheTypeIds,
  sms,
  email,
  detained,
}: {
  personId: string;
  chosen: SlotView | null;
  demarcheTypeIds: string[];
  sms: YesNo;
  email: YesNo;
  detained: boolean;
}): ReactNode {
  const asked = !detained && (sms === "yes" || email === "yes");
  const body = {
    personId,
    siteId: chosen?.siteId ?? "",
    startsAt: chosen?.startsAt ?? "",
    demarcheTypeIds,
    notifySms: sms === "yes",
    notifyEmail: email === "yes",
  };
  const preview = useQuery({
    queryKey: ["messagesPreview", body],
    queryFn: () => call(agendaRoutes.messagesPreview, { body }),
    enabled: chosen !== null && asked,
    placeholderData: keepPreviousData,
  });
  if (!chosen) return null;
  let content: ReactNode;
  if (detained || preview.data?.throughEstablishment)
    content = (
      <p>
        Aucun SMS ni courriel : la personne est détenue le jour du rendez-vous, la convocation passe par
        l'établissement.
      </p>
    );
  else if (!asked)
    content = (
      <p>
        {sms === "no" && email === "no"
          ? "Aucun message : ni SMS ni courriel choisi. Remettez la lettre de convocation à la personne."
          : "Choisissez l'envoi par SMS ou par courriel pour voir le message."}
      </p>
    );
  else if (preview.error) content = <ErrorAlert error={preview.error} />;
  else if (!preview.data) content = <p>Chargement de l'aperçu…</p>;
  else if (preview.data.messages.length === 0)
    content = <p>Aucun message : pas de contact pour l'envoi choisi. Remettez la lettre de convocation.</p>;
  else content = preview.data.messages.map((m) => <Message key={m.channel} m={m} />);
  return (
    <section className="fr-mb-3w" aria-labelledby="messages-preview" aria-busy={preview.isFetching}>
      <h2 id="messages-preview" className="fr-h5">
        Ce que la personne recevra
      </h2>
      {content}
    </section>
  );
}
