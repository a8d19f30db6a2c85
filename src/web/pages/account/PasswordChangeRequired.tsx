import type { ReactNode } from "react";
import { useSession } from "../../api/session";
import { usePageTitle } from "../../components/pageTitle";
import { ChangePassword } from "./AccountPage";

/** Signed in with a temporary password given by the direction: nothing else until a new one is chosen. */
export function PasswordChangeRequired(): ReactNode {
  usePageTitle("Choisissez votre mot de passe");
  const { refresh } = useSession();
  return (
    <>
      <h1>Choisissez votre mot de passe</h1>
      <p>
        Le mot de passe avec lequel vous vous êtes connecté·e est provisoire : il vous a été donné par la
        direction. Choisissez-en un nouveau pour continuer.
      </p>
      <ChangePassword onChanged={() => void refresh()} />
    </>
  );
}
