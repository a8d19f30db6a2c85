import { Button } from "@codegouvfr/react-dsfr/Button";
import { PasswordInput } from "@codegouvfr/react-dsfr/blocks/PasswordInput";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { useQuery } from "@tanstack/react-query";
import { type FormEvent, lazy, type ReactNode, Suspense, useState } from "react";
import { Link, Navigate, useLocation } from "react-router";
import { authRoutes } from "../../../common/auth/auth.routes";
import { loginFormSchema, secondFactorBodySchema } from "../../../common/auth/auth.schema";
import { call } from "../../api/client";
import { useSession } from "../../api/session";
import { useMutation } from "../../api/useMutation";
import { passwordState } from "../../components/form/passwordState";
import { useFormErrors } from "../../components/form/useFormErrors";
import { usePageTitle } from "../../components/pageTitle";
import { AccountEmailInput } from "./AccountEmailInput";
import { LogoutNoticeAlert } from "./LogoutNotice";
import { TotpEnrolment } from "./TotpEnrolment";

const ProConnectOption = lazy(async () => ({
  default: (await import("./ProConnectOption")).ProConnectOption,
}));

/**
 * The ProConnect button above the local login (`children`) when the server offers it (ADR 0023). The
 * form waits for that answer and for the button's chunk, so that nothing moves under the pointer of
 * someone already typing (a late button pushed the form down as they clicked "Se connecter").
 * `inDialog`: signing in again over an expired page, where ProConnect opens in a window of its own.
 */
export function LoginOptions({
  children,
  inDialog = false,
}: {
  children: ReactNode;
  inDialog?: boolean;
}): ReactNode {
  const status = useQuery({
    queryKey: ["proconnect-status"],
    queryFn: () => call(authRoutes.proconnectStatus),
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });
  const loading = <p>Chargement…</p>;
  if (status.isPending) return loading;
  if (!status.data?.enabled) return children;
  return (
    <Suspense fallback={loading}>
      <ProConnectOption inNewWindow={inDialog} />
      {children}
    </Suspense>
  );
}

const loginLabels = { email: "Adresse électronique professionnelle", password: "Mot de passe" } as const;
const codeLabels = { code: "Code de vérification" } as const;

/** The email and password step; `email` prefilled when an agent signs in again (expired session). */
export function PasswordStep({
  onDone,
  email: knownEmail = "",
  forgotten = true,
}: {
  onDone: () => Promise<void>;
  email?: string;
  /** The "Mot de passe oublié ?" link (not in the expiry dialog: it would leave the page). */
  forgotten?: boolean;
}): ReactNode {
  const [email, setEmail] = useState(knownEmail);
  const [password, setPassword] = useState("");
  const errors = useFormErrors("login", loginLabels, {}, "Connexion impossible");
  const login = useMutation({
    mutationFn: () => call(authRoutes.login, { body: { email, password } }),
    onSuccess: onDone,
    onError: errors.showApiError,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (errors.check(loginFormSchema, { email, password })) login.mutate();
  };
  return (
    <form onSubmit={submit} aria-label="Connexion" noValidate>
      {errors.summary}
      <AccountEmailInput errors={errors} value={email} onChange={setEmail} />
      <PasswordInput
        label="Mot de passe"
        {...passwordState(errors.message("password"))}
        nativeInputProps={{
          ...errors.native("password"),
          autoComplete: "current-password",
          value: password,
          required: true,
          onChange: (e) => setPassword(e.target.value),
        }}
      />
      {forgotten && (
        <p>
          <Link to="/mot-de-passe-oublie" className="fr-link">
            Mot de passe oublié ?
          </Link>
        </p>
      )}
      <Button type="submit" disabled={login.isPending}>
        Se connecter
      </Button>
    </form>
  );
}

export function SecondFactorStep({ onDone }: { onDone: () => Promise<void> }): ReactNode {
  const [code, setCode] = useState("");
  const errors = useFormErrors(
    "second-factor",
    codeLabels,
    { "auth.invalidTotp": "code" },
    "Vérification impossible",
  );
  const verify = useMutation({
    mutationFn: () => call(authRoutes.secondFactor, { body: { code } }),
    onSuccess: onDone,
    onError: errors.showApiError,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (errors.check(secondFactorBodySchema, { code })) verify.mutate();
  };
  return (
    <form onSubmit={submit} aria-label="Vérification en deux étapes" noValidate>
      <p>
        Saisissez le code à 6 chiffres affiché par votre application d'authentification, ou un code de
        secours.
      </p>
      {errors.summary}
      <Input
        label="Code de vérification"
        {...errors.state("code")}
        nativeInputProps={{
          ...errors.native("code"),
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

/** Where a page sent an agent who was not signed in (Guard): they go back there once signed in. */
function returnPath(state: unknown): string {
  const from = (state as { from?: unknown } | null)?.from;
  return typeof from === "string" && from.startsWith("/") && !from.startsWith("//") ? from : "/";
}

export function LoginPage(): ReactNode {
  const { session, refresh } = useSession();
  const location = useLocation();
  const title =
    session?.stage === "totp_pending"
      ? "Vérification en deux étapes"
      : session?.stage === "enrolment_required"
        ? "Activez la double authentification"
        : "Connexion à Passerelle";
  usePageTitle(title === "Connexion à Passerelle" ? "Connexion" : title);
  if (session?.stage === "active") return <Navigate to={returnPath(location.state)} replace />;
  return (
    <div className="fr-grid-row fr-grid-row--center">
      <div className="fr-col-12 fr-col-md-8 fr-col-lg-6">
        <h1>{title}</h1>
        <LogoutNoticeAlert state={location.state} />
        {!session && (
          <LoginOptions>
            <PasswordStep onDone={refresh} />
          </LoginOptions>
        )}
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
