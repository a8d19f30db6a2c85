import { describe, expect, it } from "vitest";
import { uncertainDetail } from "./failureSummary";

/**
 * A fault review (2026-12-03) read, on an e-mail whose send was interrupted by a server killed
 * mid-send, « Le fournisseur n'a pas confirmé l'envoi… Un seul nouvel envoi est prévu… si aucun
 * accusé de réception n'arrive d'ici là »: e-mails have no receipt and are resent without a check,
 * and the provider had not been asked anything. The log now says what will really happen.
 */
/** The dates carry non-breaking spaces ("3 décembre", "11 h 52"): compared as plain spaces. */
const plain = (text: string): string => text.replace(/[\u00a0\u202f]/g, " ");

const uncertain = {
  uncertainSends: 1,
  uncertainAt: "2026-12-03T10:52:17.000Z",
  notBefore: "2026-12-03T11:07:18.000Z",
} as const;

describe("uncertainDetail", () => {
  it("an SMS: checked with the provider before its only resend", () => {
    const detail = plain(uncertainDetail({ ...uncertain, channel: "sms" }));
    expect(detail).toBe(
      "Résultat de l'envoi inconnu depuis le jeudi 3 décembre 2026 à 11 h 52. Le jeudi 3 décembre 2026 à 12 h 07, Passerelle demandera au fournisseur s'il a pris le SMS en charge ; sinon, il sera renvoyé une seule fois.",
    );
    expect(detail).not.toContain("accusé de réception");
  });

  it("an e-mail: resent once without a check, and the person may get it twice", () => {
    const detail = plain(uncertainDetail({ ...uncertain, channel: "email" }));
    expect(detail).toBe(
      "Résultat de l'envoi inconnu depuis le jeudi 3 décembre 2026 à 11 h 52. Il sera renvoyé une seule fois le jeudi 3 décembre 2026 à 12 h 07, sans vérification possible : la personne pourrait le recevoir deux fois.",
    );
    expect(detail).not.toMatch(/accusé de réception|fournisseur n'a pas confirmé/);
  });

  it("a second unknown outcome: never sent again, check with the person", () => {
    for (const channel of ["sms", "email"] as const)
      expect(plain(uncertainDetail({ ...uncertain, uncertainSends: 2, channel }))).toBe(
        "Résultat de l'envoi inconnu depuis le jeudi 3 décembre 2026 à 11 h 52 : le message a peut-être été reçu, il ne sera pas renvoyé. Vérifiez auprès de la personne.",
      );
  });
});
