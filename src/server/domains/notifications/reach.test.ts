import { describe, expect, it } from "vitest";
import { HELD_ON_THE_DAY, messagesReach, notReachedReason, OPTED_OUT, reachedChannels } from "./reach";

// Tuesday 9 June 2026, 10:00 in Paris.
const asked = { startsAt: new Date("2026-06-09T08:00:00Z"), notifySms: true, notifyEmail: true };
const free = { siteId: null, releasedOn: null, expectedReleaseDate: null };
const contacts = { phone: "+33611223344", email: "a@exemple.invalid", optedOutAt: null };

describe("whether a convocation's messages reach the person", () => {
  it("free with both contacts: both channels, and nothing to object when sending", () => {
    expect(reachedChannels(asked, { ...free, ...contacts }).map((r) => r.channel)).toEqual(["sms", "email"]);
    expect(notReachedReason(asked, "sms", { ...free, ...contacts }, contacts.phone)).toBeNull();
    expect(notReachedReason(asked, "email", { ...free, ...contacts }, contacts.email)).toBeNull();
  });

  it("held on the day (expected out the day after): no channel, whatever the contacts", () => {
    const held = { siteId: "prison", releasedOn: null, expectedReleaseDate: "2026-06-10" };
    expect(messagesReach(asked, held)).toBe(false);
    expect(reachedChannels(asked, { ...held, ...contacts })).toEqual([]);
    expect(notReachedReason(asked, "email", { ...held, ...contacts }, contacts.email)).toBe(HELD_ON_THE_DAY);
  });

  it("expected out on the day: reached", () => {
    const out = { siteId: "prison", releasedOn: null, expectedReleaseDate: "2026-06-09" };
    expect(messagesReach(asked, out)).toBe(true);
  });

  it("no channel chosen: not reached (the flag), contact removed or SMS refused: withheld with the reason", () => {
    expect(messagesReach({ ...asked, notifySms: false, notifyEmail: false }, free)).toBe(false);
    expect(notReachedReason(asked, "sms", { ...free, ...contacts, phone: null }, contacts.phone)).toBe(
      "Numéro de téléphone supprimé : message retiré.",
    );
    expect(notReachedReason(asked, "email", { ...free, ...contacts, email: null }, contacts.email)).toBe(
      "Adresse électronique supprimée : message retiré.",
    );
    expect(
      notReachedReason(asked, "sms", { ...free, ...contacts, optedOutAt: new Date() }, contacts.phone),
    ).toBe(OPTED_OUT);
  });

  it("a contact changed since the message was queued: withheld, never sent to the old one", () => {
    expect(notReachedReason(asked, "sms", { ...free, ...contacts }, "+33699887766")).toBe(
      "Numéro de téléphone modifié depuis la mise en file : message retiré.",
    );
    expect(notReachedReason(asked, "email", { ...free, ...contacts }, "ancienne@exemple.invalid")).toBe(
      "Adresse électronique modifiée depuis la mise en file : message retiré.",
    );
  });
});
