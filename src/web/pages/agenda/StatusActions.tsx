import { Button } from "@codegouvfr/react-dsfr/Button";
import { createModal } from "@codegouvfr/react-dsfr/Modal";
import { useIsModalOpen } from "@codegouvfr/react-dsfr/Modal/useIsModalOpen";
import { Notice } from "@codegouvfr/react-dsfr/Notice";
import { useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useEffect, useId, useMemo, useRef, useState } from "react";
import { agendaRoutes } from "../../../common/agenda/agenda.routes";
import {
  type ConvocationStatus,
  type ConvocationView,
  convocationStatusLabels,
  UNDO_REASON,
} from "../../../common/agenda/agenda.schema";
import { attendanceTooEarly } from "../../../common/agenda/attendance";
import { atPlace } from "../../../common/placeName";
import { call } from "../../api/client";
import { useMutation } from "../../api/useMutation";
import { formatAppointment } from "../../components/dates";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useModalOpener } from "../../components/modalOpener";
import { CorrectStatusForm } from "./CorrectStatusForm";
import { type Cancellation, cancellationText } from "./cancellationText";

type SetStatus = Exclude<ConvocationStatus, "planned">;
/** Attendance is undone from the notice; a confirmed cancellation is not. */
const undoable = (status: SetStatus): boolean => status === "honoured" || status === "missed";
/** How long "Annuler" stays offered after a status click. */
export const UNDO_SECONDS = 10;

const cancellationWords: Record<Cancellation, { title: string; confirm: string }> = {
  excused: { title: "Annulation par la personne", confirm: "Confirmer l'annulation par la personne" },
  cancelled: { title: "Annulation par le service", confirm: "Confirmer l'annulation par le service" },
};

/**
 * The status actions of a list of convocations, one set per page: attendance in one click with
 * "Annuler" for a few seconds, cancellations after a confirmation dialog, "Corriger le statut" later
 * (a reason, journaled). `actionsOf(c)` goes in each row, `overlays` once near the list.
 */
export function useStatusActions(): {
  actionsOf: (c: ConvocationView) => ReactNode;
  overlays: ReactNode;
} {
  const queryClient = useQueryClient();
  const baseId = useId().replace(/[^a-zA-Z0-9]/g, "");
  const confirmModal = useMemo(
    () => createModal({ id: `cancel-${baseId}`, isOpenedByDefault: false }),
    [baseId],
  );
  const correctModal = useMemo(
    () => createModal({ id: `correct-${baseId}`, isOpenedByDefault: false }),
    [baseId],
  );
  const [pending, setPending] = useState<{ c: ConvocationView; status: "excused" | "cancelled" } | null>(
    null,
  );
  const [correcting, setCorrecting] = useState<ConvocationView | null>(null);
  const [done, setDone] = useState<{ c: ConvocationView; status: SetStatus } | null>(null);
  // A correction saved from its dialog: said in the live region (the focus goes back to the row).
  const [corrected, setCorrected] = useState<{ c: ConvocationView; status: ConvocationStatus } | null>(null);
  const correctOpen = useIsModalOpen(correctModal);
  // Closed or cancelled, each dialog gives the focus back to the row's button that opened it.
  const openConfirm = useModalOpener(confirmModal);
  const openCorrect = useModalOpener(correctModal);
  // The person's file summary shows the next convocation and the last visit.
  const refresh = async (c: ConvocationView) => {
    await queryClient.invalidateQueries({ queryKey: ["convocations"] });
    await queryClient.invalidateQueries({ queryKey: ["home"] });
    await queryClient.invalidateQueries({ queryKey: ["people", c.personId] });
  };
  const change = useMutation({
    mutationFn: ({ c, status }: { c: ConvocationView; status: SetStatus }) =>
      call(agendaRoutes.setStatus, { params: { convocationId: c.id }, body: { status } }),
    onSuccess: async (_, { c, status }) => {
      // Attendance is undone in one click; a cancellation was confirmed and cannot be, but is said
      // too: its button is gone, and the notice keeps the focus off the page's body.
      setCorrected(null);
      setDone({ c, status });
      await refresh(c);
    },
  });
  const undo = useMutation({
    mutationFn: (c: ConvocationView) =>
      call(agendaRoutes.correctStatus, {
        params: { convocationId: c.id },
        body: { status: "planned", reason: UNDO_REASON },
      }),
    onSuccess: async (_, c) => {
      setDone(null);
      await refresh(c);
    },
  });
  const arrive = useMutation({
    mutationFn: ({ c, arrived }: { c: ConvocationView; arrived: boolean }) =>
      call(agendaRoutes.arrival, { params: { convocationId: c.id }, body: { arrived } }),
    onSuccess: (_, { c }) => refresh(c),
  });
  // The clicked button is gone once the status is saved: the focus goes to the notice, whose
  // "Annuler" is the next stop, rather than to the page's body.
  const noticeRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (done) noticeRef.current?.focus();
  }, [done]);
  useEffect(() => {
    if (!done) return;
    const timer = setTimeout(() => setDone(null), UNDO_SECONDS * 1000);
    return () => clearTimeout(timer);
  }, [done]);

  const actionsOf = (c: ConvocationView): ReactNode => {
    const label = `${c.personName}, ${formatAppointment(c.startsAt)}`;
    const now = new Date();
    const timing = { startsAt: new Date(c.startsAt), arrivedAt: c.arrivedAt ? new Date(c.arrivedAt) : null };
    const honourable = !attendanceTooEarly("honoured", timing, now);
    const started = !attendanceTooEarly("missed", timing, now);
    const set = (status: SetStatus) => change.mutate({ c, status });
    const askCancel = (status: "excused" | "cancelled", event: { currentTarget: HTMLElement }) => {
      setPending({ c, status });
      openConfirm(event);
    };
    const correctable = c.permissions.correctStatus && !(done?.c.id === c.id && undoable(done.status));
    return (
      <>
        {(c.permissions.arrive || c.permissions.setStatus) && (
          <ul className="fr-btns-group fr-btns-group--inline fr-btns-group--sm">
            {c.permissions.arrive && (
              <li>
                <Button
                  size="small"
                  priority={c.arrivedAt ? "tertiary" : "secondary"}
                  title={c.arrivedAt ? `Retirer l'arrivée : ${label}` : `Arrivé·e : ${label}`}
                  // A second tap before the row is read again would undo the first: ignored (the
                  // button stays enabled, so the focus stays on it).
                  onClick={() => {
                    if (!arrive.isPending) arrive.mutate({ c, arrived: !c.arrivedAt });
                  }}
                >
                  {c.arrivedAt ? "Retirer l'arrivée" : "Arrivé·e"}
                </Button>
              </li>
            )}
            {c.permissions.setStatus && honourable && (
              <li>
                <Button size="small" title={`Honorée : ${label}`} onClick={() => set("honoured")}>
                  Honorée
                </Button>
              </li>
            )}
            {c.permissions.setStatus && started && (
              <li>
                <Button
                  size="small"
                  priority="secondary"
                  title={`Absence : ${label}`}
                  onClick={() => set("missed")}
                >
                  Absence
                </Button>
              </li>
            )}
            {c.permissions.setStatus && (
              <>
                {/* A person noted arrived came: they did not cancel (the server refuses it too). */}
                {!c.arrivedAt && (
                  <li>
                    <Button
                      size="small"
                      priority="tertiary"
                      title={`Annulée par la personne : ${label}`}
                      onClick={(event) => askCancel("excused", event)}
                    >
                      Annulée par la personne
                    </Button>
                  </li>
                )}
                <li>
                  <Button
                    size="small"
                    priority="tertiary"
                    title={`Annulée par le service : ${label}`}
                    onClick={(event) => askCancel("cancelled", event)}
                  >
                    Annulée par le service
                  </Button>
                </li>
              </>
            )}
          </ul>
        )}
        {correctable && (
          // A link's look, under « Lettre (PDF) » and « Saisir la visite » and aligned with them.
          <p className="fr-mb-0">
            <button
              type="button"
              className="fr-link fr-link--sm"
              title={`Corriger le statut : ${label}`}
              onClick={(event) => {
                setCorrecting(c);
                openCorrect(event);
              }}
            >
              Corriger le statut
            </button>
          </p>
        )}
      </>
    );
  };

  const words = pending ? cancellationWords[pending.status] : null;
  const overlays = (
    <>
      <ErrorAlert error={change.error ?? undo.error ?? arrive.error} title="Statut non enregistré" />
      <div aria-live="polite" ref={noticeRef} tabIndex={-1}>
        {done && (
          <Notice
            className="fr-mb-2w"
            title={`Statut enregistré : ${convocationStatusLabels[done.status]} — ${done.c.personName}, ${formatAppointment(done.c.startsAt)}.`}
            description={
              undoable(done.status) ? (
                <Button
                  size="small"
                  priority="secondary"
                  className="fr-ml-2w"
                  disabled={undo.isPending}
                  onClick={() => undo.mutate(done.c)}
                >
                  Annuler
                </Button>
              ) : undefined
            }
          />
        )}
        {corrected && !done && (
          <Notice
            className="fr-mb-2w"
            title={`Statut corrigé : ${convocationStatusLabels[corrected.status]} — ${corrected.c.personName}, ${formatAppointment(corrected.c.startsAt)}.`}
          />
        )}
      </div>
      <confirmModal.Component
        titleAs="h2"
        title={words?.title ?? "Annulation"}
        buttons={[
          { children: "Ne pas annuler", priority: "secondary" },
          {
            children: words?.confirm ?? "Confirmer",
            onClick: () => pending && change.mutate({ c: pending.c, status: pending.status }),
          },
        ]}
      >
        {pending && (
          <>
            <p>
              {pending.c.personName}, {formatAppointment(pending.c.startsAt)} {atPlace(pending.c.siteName)}.
            </p>
            <p>{cancellationText(pending.status, pending.c.silentBecause)}</p>
          </>
        )}
      </confirmModal.Component>
      <correctModal.Component titleAs="h2" title="Corriger le statut">
        {correcting && correctOpen && (
          <CorrectStatusForm
            key={correcting.id}
            convocation={correcting}
            onDone={(status) => {
              correctModal.close();
              if (status) {
                setDone(null);
                setCorrected({ c: correcting, status });
              }
            }}
          />
        )}
      </correctModal.Component>
    </>
  );
  return { actionsOf, overlays };
}
