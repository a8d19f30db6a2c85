import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { createModal } from "@codegouvfr/react-dsfr/Modal";
import { useIsModalOpen } from "@codegouvfr/react-dsfr/Modal/useIsModalOpen";
import { useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useCallback, useEffect, useRef, useState } from "react";
import type { SessionView } from "../../common/auth/auth.schema";
import { onSessionExpired } from "../api/client";
import { fetchSession, useSession } from "../api/session";
import { onSignedInElsewhere } from "../api/sessionChannel";
import { LoginOptions, PasswordStep, SecondFactorStep } from "../pages/auth/LoginPage";

const modal = createModal({ id: "session-expired", isOpenedByDefault: false });

type Step = "password" | "code" | "enrolment";

/**
 * "Votre session a expiré": the agent signs in again over the page, which keeps what they typed;
 * the new session's CSRF token is read, and they send their form again. Another agent signing in
 * here starts the application afresh, on its home page: the page read for the first one is not shown.
 * Closed without signing in, the page says so above its content, with a button to reopen it.
 */
export function SessionExpired(): ReactNode {
  const { expired, session, renewed } = useSession();
  const queryClient = useQueryClient();
  // Each closing of the dialog counts, even one that comes before React drew it open (a loaded
  // machine, a quick key): its opening and closing would then be one render that changes nothing.
  const [closings, setClosings] = useState(0);
  const open = useIsModalOpen(modal, { onConceal: () => setClosings((n) => n + 1) });
  const [step, setStep] = useState<Step>("password");
  const userId = session?.user.id;
  const banner = useRef<HTMLDivElement>(null);

  // Closed without signing in (Escape, "Fermer"): the focus goes to "Se reconnecter" above the page
  // (the banner is there only while expired and closed), not to the start of the document. The dialog
  // gives the focus back on its own first, hence the frame.
  useEffect(() => {
    if (closings === 0) return;
    const frame = requestAnimationFrame(() => banner.current?.querySelector("button")?.focus());
    return () => cancelAnimationFrame(frame);
  }, [closings]);

  useEffect(() => {
    if (expired) modal.open();
  }, [expired]);
  useEffect(() => {
    if (!expired && open) modal.close();
  }, [expired, open]);
  // Each refused call while the dialog is closed opens it again.
  useEffect(
    () =>
      onSessionExpired(() => {
        if (queryClient.getQueryData<SessionView | null>(["session"])?.stage === "active") modal.open();
      }),
    [queryClient],
  );

  const signedIn = useCallback(async (): Promise<void> => {
    const next = await fetchSession();
    if (!next) return setStep("password");
    if (next.user.id !== userId) {
      window.location.assign("/");
      return;
    }
    if (next.stage === "totp_pending") return setStep("code");
    if (next.stage === "enrolment_required") return setStep("enrolment");
    setStep("password");
    modal.close();
    renewed(next);
  }, [userId, renewed]);

  // Signed in again in another tab or window (ProConnect opens one): that one says so on the session
  // channel, and this one also checks when the agent comes back to it.
  useEffect(() => {
    if (!expired) return;
    const check = () => {
      if (document.visibilityState === "visible") void signedIn().catch(() => undefined);
    };
    document.addEventListener("visibilitychange", check);
    const unsubscribe = onSignedInElsewhere(() => void signedIn().catch(() => undefined));
    return () => {
      document.removeEventListener("visibilitychange", check);
      unsubscribe();
    };
  }, [expired, signedIn]);

  return (
    <>
      {expired && !open && (
        <div ref={banner}>
          <Alert
            severity="warning"
            title="Votre session a expiré"
            className="fr-mb-3w"
            description={
              <>
                Ce que vous avez saisi sur cette page est conservé : reconnectez-vous, puis enregistrez à
                nouveau.
                <br />
                <Button size="small" className="fr-mt-1w" onClick={() => modal.open()}>
                  Se reconnecter
                </Button>
              </>
            }
          />
        </div>
      )}
      <modal.Component title="Votre session a expiré" titleAs="h2" size="medium">
        {expired && (
          <>
            <p>
              Pour protéger les données, Passerelle ferme une session restée 30 minutes sans activité (et
              toute session après 12 heures). Reconnectez-vous : la page reste ouverte, ce que vous avez saisi
              est conservé, et vous pourrez enregistrer à nouveau.
            </p>
            {step === "password" && (
              <LoginOptions inDialog>
                <PasswordStep onDone={signedIn} email={session?.user.email ?? ""} forgotten={false} />
              </LoginOptions>
            )}
            {step === "code" && <SecondFactorStep onDone={signedIn} />}
            {step === "enrolment" && (
              <p>
                Votre rôle exige désormais une double authentification : activez-la depuis la{" "}
                <a href="/connexion">page de connexion</a> (ce que vous avez saisi ici sera perdu).
              </p>
            )}
          </>
        )}
      </modal.Component>
    </>
  );
}
