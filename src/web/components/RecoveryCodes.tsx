import { Button } from "@codegouvfr/react-dsfr/Button";
import type { ReactNode } from "react";
import { useSession } from "../api/session";
import "./recoveryCodes.css";

/** The text file of the codes: who they are for, when they were made, one code a line. */
export function recoveryCodesText(codes: readonly string[], email: string, madeAt: Date): string {
  const day = new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", dateStyle: "long" }).format(
    madeAt,
  );
  return [
    "Passerelle – codes de secours",
    `Compte : ${email}`,
    `Créés le ${day}. Chaque code ne sert qu'une fois ; les anciens codes ne valent plus.`,
    "Conservez ce document en lieu sûr, à l'écart de votre téléphone.",
    "",
    ...codes,
    "",
  ].join("\r\n");
}

/**
 * The recovery codes, shown once: a list, a download as a text file and a print of the codes alone
 * (the print stylesheet hides the rest of the page). Everything happens in the browser.
 */
export function RecoveryCodes({ codes }: { codes: readonly string[] }): ReactNode {
  const { session } = useSession();
  const email = session?.user.email ?? "";
  const download = () => {
    const blob = new Blob([recoveryCodesText(codes, email, new Date())], {
      type: "text/plain;charset=utf-8",
    });
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = "passerelle-codes-de-secours.txt";
    link.click();
    URL.revokeObjectURL(link.href);
  };
  return (
    <div className="recovery-codes-sheet fr-mb-3w">
      <p className="recovery-codes-print-only">
        Passerelle – codes de secours du compte {email}. Chaque code ne sert qu'une fois.
      </p>
      <ul className="fr-mb-2w" data-testid="recovery-codes">
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ul>
      <div className="recovery-codes-actions">
        <Button priority="secondary" iconId="fr-icon-download-line" onClick={download} className="fr-mr-2w">
          Télécharger (.txt)
        </Button>
        <Button priority="secondary" iconId="fr-icon-printer-line" onClick={() => window.print()}>
          Imprimer
        </Button>
      </div>
    </div>
  );
}
