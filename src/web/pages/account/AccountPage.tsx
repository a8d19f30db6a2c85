import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { PasswordInput } from "@codegouvfr/react-dsfr/blocks/PasswordInput";
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useState } from "react";
import { authRoutes } from "../../../common/auth/auth.routes";
import { call } from "../../api/client";
import { useSession } from "../../api/session";
import { ErrorAlert } from "../../components/ErrorAlert";
import { TotpEnrolment } from "../auth/TotpEnrolment";
import { SecondFactorSettings } from "./SecondFactorSettings";

export function ChangePassword({ onChanged }: { onChanged?: () => void } = {}): ReactNode {
  const [currentPassword, setCurrent] = useState("");
  const [newPassword, setNext] = useState("");
  const change = useMutation({
    mutationFn: () => call(authRoutes.changePassword, { body: { currentPassword, newPassword } }),
    onSuccess: () => {
      setCurrent("");
      setNext("");
      onChanged?.();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    change.mutate();
  };
  return (
    <form onSubmit={submit} aria-label="Changer de mot de passe" className="fr-mb-6w">
      <h2>Changer de mot de passe</h2>
      {change.isSuccess && (
        <Alert
          severity="success"
          small
          description="Mot de passe changé. Vos autres sessions ont été fermées."
          className="fr-mb-2w"
        />
      )}
      <ErrorAlert error={change.error} title="Mot de passe non changé" />
      <PasswordInput
        label="Mot de passe actuel"
        nativeInputProps={{
          autoComplete: "current-password",
          value: currentPassword,
          required: true,
          onChange: (e) => setCurrent(e.target.value),
        }}
      />
      <PasswordInput
        label="Nouveau mot de passe"
        messages={[
          {
            message: "12 caractères au moins. Une phrase de passe est plus sûre et plus facile à retenir.",
            severity: "info",
          },
        ]}
        nativeInputProps={{
          autoComplete: "new-password",
          value: newPassword,
          required: true,
          onChange: (e) => setNext(e.target.value),
        }}
      />
      <Button type="submit" disabled={change.isPending}>
        Changer le mot de passe
      </Button>
    </form>
  );
}

export function AccountPage(): ReactNode {
  const { session, refresh } = useSession();
  if (!session) return null;
  return (
    <>
      <h1>Mon compte</h1>
      <p>
        {session.user.displayName} — {session.user.email}
      </p>
      <ChangePassword />
      <section>
        <h2>Double authentification</h2>
        {session.totpEnabled ? (
          <SecondFactorSettings recoveryCodesLeft={session.recoveryCodesLeft} onDone={() => void refresh()} />
        ) : (
          <>
            <p>
              {session.totpRequired
                ? "Obligatoire pour votre rôle."
                : "Facultative pour votre rôle, mais recommandée."}
            </p>
            <TotpEnrolment onDone={() => void refresh()} />
          </>
        )}
      </section>
    </>
  );
}
