import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { actionsRoutes } from "../../../common/actions/actions.routes";
import type { ActionDetail } from "../../../common/actions/actions.schema";
import { call } from "../../api/client";
import { useSession } from "../../api/session";
import { useMutation } from "../../api/useMutation";
import { useFormErrors } from "../../components/form/useFormErrors";
import { SuccessNotice } from "../../components/SuccessNotice";

const labels = { invitees: "Contacts de l'annuaire", name: "Nom", email: "Adresse électronique" } as const;

/** Invite directory contacts, or a name and an e-mail typed in: each gets the ICS and an answer link. */
export function InviteForm({ action }: { action: ActionDetail }): ReactNode {
  const { structureId } = useSession();
  const queryClient = useQueryClient();
  const [chosen, setChosen] = useState<string[]>([]);
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  // Each send's notice is new (its key) and takes the focus: the button had it, disabled while sending.
  const [sent, setSent] = useState<{ text: string; key: number } | null>(null);
  const errors = useFormErrors(
    "invite",
    labels,
    { "body.invitees.0.name": "name", "body.invitees.0.email": "email" },
    "Les invitations ne sont pas parties",
  );
  const options = useQuery({
    queryKey: ["actions", structureId, "options"],
    queryFn: () => call(actionsRoutes.options, { params: { structureId: structureId ?? "" } }),
    enabled: Boolean(structureId),
  });
  const invited = new Set(action.invitations.map((i) => i.email.toLowerCase()));
  const contacts = (options.data?.contacts ?? []).filter((c) => !invited.has(c.email.toLowerCase()));
  const send = useMutation({
    mutationFn: () =>
      call(actionsRoutes.invite, {
        params: { actionId: action.id },
        body: {
          invitees: [
            ...(name || email ? [{ name, email }] : []),
            ...chosen.map((directoryContactId) => ({ directoryContactId })),
          ],
        },
      }),
    onMutate: () => {
      errors.clear();
      setSent((previous) => (previous ? { ...previous, text: "" } : null));
    },
    onSuccess: async (result) => {
      setChosen([]);
      setName("");
      setEmail("");
      const text =
        `${result.invited} invitation${result.invited > 1 ? "s" : ""} envoyée${result.invited > 1 ? "s" : ""}` +
        (result.alreadyInvited > 0 ? ` (${result.alreadyInvited} déjà invité·e·s).` : ".");
      setSent((previous) => ({ text, key: (previous?.key ?? 0) + 1 }));
      await queryClient.invalidateQueries({ queryKey: ["convocations", "action", action.id] });
    },
    onError: (error) => errors.showApiError(error),
  });
  return (
    <form
      className="fr-mt-3w"
      onSubmit={(e) => {
        e.preventDefault();
        send.mutate();
      }}
      noValidate
    >
      <h3 className="fr-h5">Inviter des partenaires</h3>
      <p className="fr-text--sm">
        Chaque contact reçoit un courriel avec l'invitation pour son agenda et deux liens « Je participe » / «
        Je ne participe pas », sans créer de compte.
      </p>
      {errors.summary}
      {sent?.text && <SuccessNotice key={sent.key} message={sent.text} />}
      {contacts.length > 0 && (
        <Checkbox
          legend={labels.invitees}
          id={errors.native("invitees").id}
          {...errors.state("invitees")}
          small
          options={contacts.map((c) => ({
            label: `${c.name} — ${c.organisation}`,
            hintText: c.email,
            nativeInputProps: {
              checked: chosen.includes(c.id),
              onChange: (e) =>
                setChosen(e.target.checked ? [...chosen, c.id] : chosen.filter((id) => id !== c.id)),
            },
          }))}
        />
      )}
      <fieldset className="fr-fieldset">
        <legend className="fr-fieldset__legend fr-text--regular">Ou une personne hors annuaire</legend>
        <div className="fr-fieldset__element">
          <Input
            label={labels.name}
            {...errors.state("name")}
            nativeInputProps={{
              ...errors.native("name"),
              value: name,
              maxLength: 160,
              onChange: (e) => setName(e.target.value),
            }}
          />
        </div>
        <div className="fr-fieldset__element">
          <Input
            label={labels.email}
            {...errors.state("email")}
            nativeInputProps={{
              ...errors.native("email"),
              type: "email",
              value: email,
              maxLength: 254,
              onChange: (e) => setEmail(e.target.value),
            }}
          />
        </div>
      </fieldset>
      <Button type="submit" disabled={send.isPending}>
        Envoyer les invitations
      </Button>
    </form>
  );
}
