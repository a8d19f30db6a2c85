import { Button } from "@codegouvfr/react-dsfr/Button";
import { useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { directoryRoutes } from "../../../common/directory/directory.routes";
import { capitalize } from "../../../common/plural";
import { call } from "../../api/client";
import { useMutation } from "../../api/useMutation";
import { ConfirmBox } from "../../components/ConfirmBox";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useStepFocus } from "../../components/useStepFocus";

type Target = { kind: "entry"; id: string; name: string } | { kind: "contact"; id: string; name: string };

const what = (target: Target): string =>
  target.kind === "entry" ? `l'organisation ${target.name}` : `le contact ${target.name}`;

/**
 * Archive (after a confirmation) or restore an organisation or a contact of the directory. Archived,
 * it leaves the searches, the pickers, the invitations and the newsletter; its page still reads.
 */
export function ArchiveButton({
  target,
  archived,
  onDone,
}: {
  target: Target;
  archived: boolean;
  onDone: (message: string) => void;
}): ReactNode {
  const queryClient = useQueryClient();
  const [asking, setAsking] = useState(false);
  // The button gives way to the question, and back: the focus follows.
  const step = useStepFocus(asking, asking ? () => setAsking(false) : undefined);
  const change = useMutation({
    mutationFn: (archive: boolean) =>
      target.kind === "entry"
        ? call(directoryRoutes.archiveEntry, { params: { entryId: target.id }, body: { archived: archive } })
        : call(directoryRoutes.archiveContact, {
            params: { contactId: target.id },
            body: { archived: archive },
          }),
    onSuccess: async (_, archive) => {
      setAsking(false);
      await queryClient.invalidateQueries({ queryKey: ["directory"] });
      const name = what(target);
      const done = `${archive ? "archivé" : "restauré"}${target.kind === "entry" ? "e" : ""}`;
      onDone(`${capitalize(name)} est ${done}.`);
    },
  });
  if (archived)
    return (
      <>
        <ErrorAlert error={change.error} />
        <Button
          size="small"
          priority="secondary"
          onClick={() => change.mutate(false)}
          disabled={change.isPending}
        >
          Restaurer<span className="fr-sr-only"> {what(target)}</span>
        </Button>
      </>
    );
  if (!asking)
    return (
      <div ref={step.box}>
        <Button
          size="small"
          priority="tertiary"
          iconId="fr-icon-archive-line"
          onClick={step.opens(() => setAsking(true))}
        >
          Archiver<span className="fr-sr-only"> {what(target)}</span>
        </Button>
      </div>
    );
  // The organisation's question comes right under the page's title, a contact's under "Contacts".
  return (
    <ConfirmBox
      boxRef={step.box}
      className="fr-mb-2w"
      heading={target.kind === "entry" ? "h2" : "h3"}
      title={`Archiver ${what(target)} ?`}
      confirmLabel="Confirmer l'archivage"
      keepLabel="Ne pas archiver"
      onConfirm={() => change.mutate(true)}
      onKeep={() => setAsking(false)}
      busy={change.isPending}
      error={change.error}
    >
      <p>
        {target.kind === "entry"
          ? "Elle et ses contacts ne seront plus proposés dans les recherches ni pour une orientation, et ne recevront plus d'invitation ni la lettre d'information. Les orientations, actions et conventions passées la mentionnent toujours ; vous pourrez la restaurer."
          : "Il ne sera plus proposé dans les recherches ni pour une orientation, et ne recevra plus d'invitation ni la lettre d'information. Les orientations et actions passées le mentionnent toujours ; vous pourrez le restaurer."}
      </p>
    </ConfirmBox>
  );
}
