import { Button } from "@codegouvfr/react-dsfr/Button";
import { PasswordInput } from "@codegouvfr/react-dsfr/blocks/PasswordInput";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useState } from "react";
import { Navigate } from "react-router";
import { authRoutes } from "../../../common/auth/auth.routes";
import { call } from "../../api/client";
import { useSession } from "../../api/session";
import { ErrorAlert } from "../../components/ErrorAlert";
import { usePageTitle } from "../../components/pageTitle";
import { TotpEnrolment } from "./TotpEnrolment";

function PasswordStep({ onDone }: { onDone: () => Promise<void> }): ReactNode {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const login = useMutation({
    mutationFn: () => call(authRoutes.login, { body: { email, password } }),
    onSuccess: onDone,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    login.mutate();
  };
  return (
    <form onSubmit={submit} aria-label="Connexion">
      <ErrorAlert error={login.error} title="Connexion impossible" />
      <Input
        label="Adresse électronique professionnelle"
        nativeInputProps={{
          type: "email",
          autoComplete: "username",
          value: email,
          required: true,
          onChange: (e) => setEmail(e.target.value),
        }}
      />
      <PasswordInput
        label="Mot de passe"
        nativeInputProps={{
          autoComplete: "current-password",
          value: password,
          required: true,
          onChange: (e) => setPassword(e.target.value),
        }}
      />
      <Button type="submit" disabled={login.isPending}>
        Se connecter
      </Button>
    </form>
  );
}

function SecondFactorStep({ onDone }: { onDone: () => Promise<void> }): ReactNode {
  const [code, setCode] = useState("");
  const verify = useMutation({
    mutationFn: () => call(authRoutes.secondFactor, { body: { code } }),
    onSuccess: onDone,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    verify.mutate();
  };
  return (
    <form onSubmit={submit} aria-label="Vérification en deux étapes">
      <p>
        Saisissez le code à 6 chiffres affiché par votre application d'authentification, ou un code de
        secours.
      </p>
      <ErrorAlert error={verify.error} title="Code refusé" />
      <Input
        label="Code de vérification"
        nativeInputProps={{
          inputMode: "numeric",
          autoComplete: "one-time-code",
          value: code,
          required: true,
          onChange: (e) => setCode(e.target.value),
        }}
      />
      <Button type="submit" disabled={verify.isPending}>
        Valider
      </Button>
    </form>
  );
}

export function LoginPage(): ReactNode {
  const { session, refresh } = useSession();
  const title =
    session?.stage === "totp_pending"
      ? "Vérification en deux étapes"
      : session?.stage === "enrolment_required"
        ? "Activez la double authentification"
        : "Connexion à Passerelle";
  usePageTitle(title === "Connexion à Passerelle" ? "Connexion" : title);
  if (session?.stage === "active") return <Navigate to="/" replace />;
  return (
    <div className="fr-grid-row fr-grid-row--center">
      <div className="fr-col-12 fr-col-md-8 fr-col-lg-6">
        <h1>{title}</h1>
        {!session && <PasswordStep onDone={refresh} />}
        {session?.stage === "totp_pending" && <SecondFactorStep onDone={refresh} />}
        {session?.stage === "enrolment_required" && (
          <>
            <p>Votre rôle exige une double authentification. Activez-la pour accéder à Passerelle.</p>
            <TotpEnrolment onDone={() => void refresh()} />
          </>
        )}
      </div>
    </div>
  );
}
