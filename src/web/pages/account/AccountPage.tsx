import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { PasswordInput } from "@codegouvfr/react-dsfr/blocks/PasswordInput";
import { type FormEvent, type ReactNode, useState } from "react";
import { authRoutes } from "../../../common/auth/auth.routes";
import { changePasswordBodySchema } from "../../../common/auth/auth.schema";
import { call } from "../../api/client";
import { useSession } from "../../api/session";
import { useMutation } from "../../api/useMutation";
import { newPasswordHint, passwordState } from "../../components/form/passwordState";
import { useFormErrors } from "../../components/form/useFormErrors";
import { usePageTitle } from "../../components/pageTitle";
import { TotpEnrolment } from "../auth/TotpEnrolment";
import { SecondFactorSettings } from "./SecondFactorSettings";

const passwordLabels = {
  currentPassword: "Mot de passe actuel",
  newPassword: "Nouveau mot de passe",
} as const;

export function ChangePassword({ onChanged }: { onChanged?: () => void } = {}): ReactNode {
  const [currentPassword, setCurrent] = useState("");
  const [newPassword, setNext] = useState("");
  const errors = useFormErrors(
    "password",
    passwordLabels,
    { "auth.wrongCurrentPassword": "currentPassword", "auth.weakPassword": "newPassword" },
    "Mot de passe non changé",
  );
  const change = useMutation({
    mutationFn: () => call(authRoutes.changePassword, { body: { currentPassword, newPassword } }),
    onSuccess: () => {
      setCurrent("");
      setNext("");
      onChanged?.();
    },
    onError: errors.showApiError,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (errors.check(changePasswordBodySchema, { currentPassword, newPassword })) change.mutate();
  };
  return (
    <form onSubmit={submit} aria-label="Changer de mot de passe" className="fr-mb-6w" noValidate>
      <h2>Changer de mot de passe</h2>
      {change.isSuccess && (
        <Alert
          severity="success"
          small
          description="Mot de passe changé. Vos autres sessions ont été fermées."
          className="fr-mb-2w"
        />
      )}
      {errors.summary}
      <PasswordInput
        label="Mot de passe actuel"
        {...passwordState(errors.message("currentPassword"))}
        nativeInputProps={{
          ...errors.native("currentPassword"),
          autoComplete: "current-password",
          value: currentPassword,
          required: true,
          onChange: (e) => setCurrent(e.target.value),
        }}
      />
      <PasswordInput
        label="Nouveau mot de passe"
        {...passwordState(errors.message("newPassword"), newPasswordHint)}
        nativeInputProps={{
          ...errors.native("newPassword"),
          autoComplete: "new-password",
          value: newPassword,
          required: true,
          onChange: (e) => setNext(e.target.value),
        }}
      />
      <Button type="submit" disabled={change.isPending} className="fr-mt-2w">
        Changer le mot de passe
      </Button>
    </form>
  );
}

export function AccountPage(): ReactNode {
  usePageTitle("Mon compte");
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
