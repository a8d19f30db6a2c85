import ical, { ICalCalendarMethod, ICalEventStatus } from "ical-generator";
import type { MailAttachment } from "../db/schema";

/**
 * An iCalendar invitation (RFC 5545, METHOD:REQUEST, or CANCEL for a withdrawn event) for an
 * outbox e-mail: a handover meeting, a collective action. The uid stays the same for every update
 * of one event so calendars replace it instead of adding a second one; `sequence` grows with each.
 */
export interface Invitation {
  uid: string;
  sequence: number;
  start: Date;
  end: Date;
  summary: string;
  location: string;
  description: string;
  organizer: { name: string; email: string };
  attendee: { name: string; email: string };
  cancelled?: boolean;
}

export function invitationIcs(invitation: Invitation): string {
  const calendar = ical({
    prodId: { company: "Passerelle", product: "Passerelle", language: "FR" },
    method: invitation.cancelled ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
  });
  calendar.createEvent({
    id: invitation.uid,
    sequence: invitation.sequence,
    start: invitation.start,
    end: invitation.end,
    summary: invitation.summary,
    location: invitation.location,
    description: invitation.description,
    organizer: invitation.organizer,
    attendees: [{ name: invitation.attendee.name, email: invitation.attendee.email, rsvp: true }],
    status: invitation.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  });
  return calendar.toString();
}

/** The invitation as an outbox attachment (`invitation.ics`, text/calendar with its method). */
export function invitationAttachment(invitation: Invitation): MailAttachment {
  const method = invitation.cancelled ? "CANCEL" : "REQUEST";
  return {
    filename: "invitation.ics",
    contentType: `text/calendar; charset=utf-8; method=${method}`,
    content: invitationIcs(invitation),
  };
}
