import { describe, expect, it } from "vitest";
import { invitationAttachment, invitationIcs } from "./ics";

const meeting = {
  uid: "handover-42@passerelle",
  sequence: 0,
  start: new Date("2026-12-03T09:30:00Z"),
  end: new Date("2026-12-03T10:30:00Z"),
  summary: "Réunion de passage de relais",
  location: "Centre pénitentiaire de Meaux-Chauconin",
  description: "Ordre du jour : besoins, démarches en cours.",
  organizer: { name: "Camille Martin", email: "cpip@demo.passerelle.fr" },
  attendee: { name: "Service insertion CAF", email: "insertion@caf.example.fr" },
};

describe("ICS invitations", () => {
  it("writes one event with its uid, sequence, times in UTC, organizer and attendee", () => {
    // Long lines are folded (RFC 5545 §3.1): unfold before reading.
    const text = invitationIcs(meeting).replace(/\r\n /g, "");
    expect(text).toContain("METHOD:REQUEST");
    expect(text).toContain("UID:handover-42@passerelle");
    expect(text).toContain("SEQUENCE:0");
    expect(text).toContain("DTSTART:20261203T093000Z");
    expect(text).toContain("DTEND:20261203T103000Z");
    expect(text).toMatch(/ORGANIZER;CN="?Camille Martin"?:mailto:cpip@demo\.passerelle\.fr/);
    expect(text).toMatch(/ATTENDEE;[^\r\n]*RSVP=TRUE[^\r\n]*:MAILTO:insertion@caf\.example\.fr/i);
    expect(text.match(/BEGIN:VEVENT/g)).toHaveLength(1);
  });
  it("cancels with the same uid and a higher sequence", () => {
    const attachment = invitationAttachment({ ...meeting, sequence: 1, cancelled: true });
    expect(attachment.contentType).toContain("method=CANCEL");
    expect(attachment.content).toContain("STATUS:CANCELLED");
    expect(attachment.content).toContain("UID:handover-42@passerelle");
    expect(attachment.content).toContain("SEQUENCE:1");
  });
});
