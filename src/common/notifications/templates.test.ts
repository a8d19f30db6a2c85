import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  appointmentWords,
  defaultTemplates,
  MAX_SMS_SEGMENTS,
  notificationKinds,
  type PlaceholderValues,
  personFacingAddress,
  personFacingSiteName,
  placeholders,
  renderSms,
  renderTemplate,
  revealingWords,
  samplePlaceholderValues,
  sampleStopUrl,
  smsSize,
  toGsm7,
  unknownPlaceholders,
} from "./templates";

const GSM_CHARS =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà^{}\\[~]|€";

describe("placeholders", () => {
  it("renders whitelisted placeholders and leaves anything else visible", () => {
    const text = renderTemplate("Le {date} à {heure}, {lieu} {nom}", samplePlaceholderValues);
    expect(text).toBe("Le mercredi 30 septembre 2026 à 14 h 15, Fontainebleau {nom}");
  });

  it("reports every placeholder outside the whitelist, once", () => {
    expect(unknownPlaceholders("{date} {infraction} {nom} {infraction} {}")).toEqual([
      "infraction",
      "nom",
      "",
    ]);
    expect(
      unknownPlaceholders(
        Object.keys(placeholders)
          .map((p) => `{${p}}`)
          .join(" "),
      ),
    ).toEqual([]);
  });

  it("the national defaults use whitelisted placeholders only, and never name the probation service", () => {
    for (const kind of notificationKinds) {
      for (const text of Object.values(defaultTemplates[kind])) {
        expect(unknownPlaceholders(text.subject + text.body)).toEqual([]);
        expect(`${text.subject} ${text.body}`).not.toMatch(/SPIP|probation|justice|pénitentiaire/i);
      }
    }
  });
});

describe("revealing words", () => {
  it("finds what would reveal a judicial situation on a shared phone", () => {
    expect(revealingWords("Antenne SPIP, 10 rue de la Paroisse — service pénitentiaire")).toEqual([
      "SPIP",
      "pénitentiaire",
    ]);
    expect(revealingWords("France services, 1 rue de la Paroisse")).toEqual([]);
  });

  it("a site's address and name as a person reads them never name the probation service", () => {
    expect(personFacingAddress("Antenne SPIP, 10 rue de la Paroisse, 77300 Fontainebleau")).toBe(
      "10 rue de la Paroisse, 77300 Fontainebleau",
    );
    expect(
      personFacingAddress(
        "Service pénitentiaire d'insertion et de probation, 5 rue du Palais de Justice, 77100 Meaux",
      ),
    ).toBe("5 rue du Palais de Justice, 77100 Meaux");
    expect(personFacingAddress("Maison France services, 2 avenue de la Libération")).toBe(
      "Maison France services, 2 avenue de la Libération",
    );
    expect(personFacingSiteName("Antenne SPIP de Melun")).toBe("Permanence France services");
    expect(personFacingSiteName("Meaux")).toBe("Meaux");
  });
});

describe("SMS encoding", () => {
  it("replaces French characters GSM-7 lacks, keeps those it has", () => {
    expect(toGsm7("Être à l’hôpital, ça coûte… «rien»")).toBe('Etre à l\'hopital, ca coute... "rien"');
    expect(smsSize(toGsm7("Déjà là, où ? Prénom Noël")).encoding).toBe("GSM-7");
  });

  it("counts 160/153 septets in GSM-7 (extension characters cost two), 70/67 in UCS-2", () => {
    expect(smsSize("a".repeat(160))).toEqual({ encoding: "GSM-7", units: 160, segments: 1 });
    expect(smsSize("a".repeat(161)).segments).toBe(2);
    expect(smsSize("a".repeat(306)).segments).toBe(2);
    expect(smsSize("a".repeat(307)).segments).toBe(3);
    expect(smsSize("€".repeat(80))).toEqual({ encoding: "GSM-7", units: 160, segments: 1 });
    expect(smsSize("😀")).toMatchObject({ encoding: "UCS-2" });
    expect(smsSize("ж".repeat(70)).segments).toBe(1);
    expect(smsSize("ж".repeat(71)).segments).toBe(2);
  });

  it("toGsm7 output of any French text is pure GSM-7 (property)", () => {
    const french = fc.string({
      unit: fc.constantFrom(
        ..."abcdefghijklmnopqrstuvwxyzàâäçéèêëîïôöùûüÿœÀÂÇÉÈÊËÎÏÔÙÛ’«»–—… ,.;:!?'-0123456789",
      ),
    });
    fc.assert(
      fc.property(french, (text) => {
        const converted = toGsm7(text);
        expect([...converted].every((c) => GSM_CHARS.includes(c))).toBe(true);
        expect(smsSize(converted).encoding).toBe("GSM-7");
      }),
    );
  });

  it("every default SMS, with the full date, a long address and the stop link, fits in two GSM-7 SMS", () => {
    const values: PlaceholderValues = {
      ...samplePlaceholderValues,
      ...appointmentWords(new Date("2026-09-30T12:15:00Z")),
      lieu: "Antenne de La Rochette-sur-Seine",
      adresse: "Maison France services, 12 avenue du Général-de-Gaulle, 77000 La Rochette",
      telephone: "01 60 00 00 03",
    };
    for (const kind of notificationKinds) {
      const sms = renderSms(defaultTemplates[kind].sms.body, values, sampleStopUrl);
      expect(sms).toContain("mercredi 30 septembre 2026");
      expect(sms).toContain(`STOP SMS : ${sampleStopUrl}`);
      const size = smsSize(sms);
      expect(size.encoding, sms).toBe("GSM-7");
      expect(size.segments, sms).toBeLessThanOrEqual(MAX_SMS_SEGMENTS);
    }
  });
});

describe("appointmentWords", () => {
  it("gives the full Paris date and time, across daylight saving time", () => {
    expect(appointmentWords(new Date("2026-06-02T07:00:00Z"))).toEqual({
      date: "mardi 2 juin 2026",
      heure: "9 h 00",
    });
    expect(appointmentWords(new Date("2026-12-15T13:30:00Z"))).toEqual({
      date: "mardi 15 décembre 2026",
      heure: "14 h 30",
    });
    expect(appointmentWords(new Date("2026-12-01T08:00:00Z"))).toEqual({
      date: "mardi 1er décembre 2026",
      heure: "9 h 00",
    });
  });
});
