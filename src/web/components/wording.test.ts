import { describe, expect, it } from "vitest";
import type { ConsentView } from "../../common/consent/consent.schema";
import { formatAppointment } from "./dates";
import {
  asSentence,
  closingConvocationsText,
  consentText,
  convokedCell,
  historyAuthor,
  lengthHint,
  needsProgressText,
  pendingMessagesText,
  placesText,
  providedText,
  withLengthHint,
} from "./wording";

describe("person file and collective actions wording", () => {
  it("writes the needs' progress with agreeing words, or says there is none", () => {
    expect(needsProgressText({ opened: 2, resolved: 1, open: 1 })).toBe(
      "2 besoins repérés depuis le début : 1 résolu, 1 en cours.",
    );
    expect(needsProgressText({ opened: 1, resolved: 0, open: 1 })).toBe(
      "1 besoin repéré depuis le début : 0 résolu, 1 en cours.",
    );
    expect(needsProgressText({ opened: 3, resolved: 2, open: 1 })).toContain(": 2 résolus,");
    expect(needsProgressText({ opened: 0, resolved: 0, open: 0 })).toBe(
      "Aucun besoin repéré pour l'instant.",
    );
  });

  it("says nothing about reminders when none is waiting", () => {
    expect(pendingMessagesText(0)).toBeNull();
    expect(pendingMessagesText(1)).toBe("retire le message pas encore envoyé (rappel) ;");
    expect(pendingMessagesText(3)).toBe("retire les 3 messages pas encore envoyés (rappels) ;");
  });

  it("says how each cancelled convocation reaches the person: never a message promised to a detainee", () => {
    const monday = { id: "a", startsAt: "2026-06-08T07:30:00Z", siteName: "Meaux" };
    const friday = { id: "b", startsAt: "2026-06-12T12:00:00Z", siteName: "Centre pénitentiaire" };
    const [mondayAt, fridayAt] = [formatAppointment(monday.startsAt), formatAppointment(friday.startsAt)];
    expect(mondayAt).toMatch(/^lundi 8\sjuin\s2026 à 9\sh\s30$/);
    expect(closingConvocationsText([])).toBe("n'annule aucune convocation (aucune à venir) ;");
    expect(closingConvocationsText([{ ...monday, notice: "message" }])).toBe(
      `annule la convocation à venir (${mondayAt}, Meaux) : la personne est prévenue par les moyens par lesquels elle avait été convoquée ;`,
    );
    const held = closingConvocationsText([
      { ...monday, notice: "establishment" },
      { ...friday, notice: "establishment" },
    ]);
    expect(held).toBe(
      `annule les 2 convocations à venir (${mondayAt}, Meaux ; ${fridayAt}, Centre pénitentiaire) : la personne, détenue ce jour-là, ne reçoit ni SMS ni courriel : prévenez-la par l'établissement ;`,
    );
    expect(held).not.toContain("prévenue par les moyens");
    // Held for the first, released by the second: each says its own.
    expect(
      closingConvocationsText([
        { ...monday, notice: "establishment" },
        { ...friday, notice: "message" },
      ]),
    ).toBe(
      `annule les 2 convocations à venir : ${mondayAt}, Meaux (la personne, détenue ce jour-là, ne reçoit ni SMS ni courriel : prévenez-la par l'établissement) ; ${fridayAt}, Centre pénitentiaire (la personne est prévenue par les moyens par lesquels elle avait été convoquée) ;`,
    );
    expect(closingConvocationsText([{ ...monday, notice: "agent" }])).toContain(
      "aucun SMS ni courriel n'avait été choisi, aucun message ne part : prévenez-la vous-même ;",
    );
  });

  it("writes a collective action's places with and without a limit", () => {
    expect(placesText(0, 12)).toBe("0 personne convoquée sur 12 places");
    expect(placesText(2, null)).toBe("2 personnes convoquées, places sans limite");
    expect(convokedCell(0, null)).toBe("0 (sans limite)");
    expect(convokedCell(3, 10)).toBe("3 / 10");
  });

  it("agrees the documents provided", () => {
    expect(providedText(1, 3)).toBe("1 / 3 fournie");
    expect(providedText(2, 3)).toBe("2 / 3 fournies");
  });
});

describe("asSentence", () => {
  it("ends typed text with one point, keeping its own", () => {
    expect(asSentence("Préparer la demande de RSA avec la CAF")).toBe(
      "Préparer la demande de RSA avec la CAF.",
    );
    expect(asSentence("Préparer la demande de RSA avec la CAF. ")).toBe(
      "Préparer la demande de RSA avec la CAF.",
    );
    expect(asSentence("Urgent !")).toBe("Urgent !");
    expect(asSentence("À voir…")).toBe("À voir…");
  });
});

describe("consentText", () => {
  const consent: ConsentView = {
    id: "c1",
    domains: [],
    shareDemarcheDetails: false,
    shareNotes: false,
    recipients: [],
    partners: [],
    purpose: "Ouvrir les droits",
    collectedByName: null,
    collectedAt: "2026-06-01T08:00:00.000Z",
    revokedAt: null,
    revokedByName: null,
  };

  it("names every recipient with « et » before the last one", () => {
    expect(
      consentText({
        ...consent,
        recipients: ["spip", "association"],
        partners: [{ id: "p1", name: "CAF (Caisse d'allocations familiales)" }],
      }),
    ).toBe(
      "La personne accepte de partager ses informations avec le SPIP (CPIP référent et son service), l'association (conseillers France services) et CAF (Caisse d'allocations familiales). But : Ouvrir les droits.",
    );
  });

  it("lists what is shared the same way, one recipient alone", () => {
    expect(
      consentText({
        ...consent,
        shareNotes: true,
        shareDemarcheDetails: true,
        domains: ["acces-aux-droits", "budget"],
        recipients: ["spip"],
        purpose: "Préparer la sortie.",
      }),
    ).toBe(
      "La personne accepte de partager les notes partagées, le détail des démarches et ses besoins (accès aux droits, papiers d'identité et budget, difficultés financières) avec le SPIP (CPIP référent et son service). But : Préparer la sortie.",
    );
  });
});

describe("history authors", () => {
  it("names the author the server gives, or the automatic sending of a message", () => {
    expect(historyAuthor({ kind: "visit", actorName: "Nicolas Petit" })).toBe("Nicolas Petit");
    expect(historyAuthor({ kind: "message", actorName: null })).toBe("Envoi automatique");
  });

  it("names no one when the author is not recorded, rather than « Non connu »", () => {
    expect(historyAuthor({ kind: "person", actorName: null })).toBeNull();
    expect(historyAuthor({ kind: "person", actorName: "" })).toBeNull();
  });
});

describe("lengthHint", () => {
  it("says nothing under 80 % of the limit, then the count, then that the limit is reached", () => {
    expect(lengthHint(0, 500)).toBeUndefined();
    expect(lengthHint(399, 500)).toBeUndefined();
    expect(lengthHint(400, 500)).toBe("400 caractères sur 500 au plus.");
    expect(lengthHint(499, 500)).toBe("499 caractères sur 500 au plus.");
    expect(lengthHint(500, 500)).toBe("Limite de 500 caractères atteinte : un texte plus long est coupé.");
  });
  it("follows the field's own hint, or stands alone", () => {
    const hint = "N'indiquez ni infraction ni donnée de santé.";
    expect(withLengthHint(hint, 10, 500)).toBe(hint);
    expect(withLengthHint(hint, 450, 500)).toBe(`${hint} 450 caractères sur 500 au plus.`);
    expect(withLengthHint(undefined, 10, 500)).toBeUndefined();
    expect(withLengthHint(undefined, 500, 500)).toBe(
      "Limite de 500 caractères atteinte : un texte plus long est coupé.",
    );
  });
});
