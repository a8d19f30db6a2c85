import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  afterExpiredLease,
  afterFailure,
  EMAIL_INTERRUPTED_BEFORE_END,
  MAX_ATTEMPTS,
  MAX_UNCERTAIN_SENDS,
  reminderDueAt,
  retryDelayMs,
  SendError,
  smsSendableAt,
  UNCERTAIN_WAIT_MS,
  UncertainSendError,
  uncertainForGood,
} from "./rules";

const quiet = { from: "20:00", to: "08:00" };

describe("quiet hours", () => {
  it("lets an SMS leave during the day, holds it at night until 8:00 Paris", () => {
    // 14:00 Paris (summer, UTC+2)
    expect(smsSendableAt(new Date("2026-06-02T12:00:00Z"), quiet)).toEqual(new Date("2026-06-02T12:00:00Z"));
    // 21:30 Paris → next morning 8:00 Paris
    expect(smsSendableAt(new Date("2026-06-02T19:30:00Z"), quiet)).toEqual(new Date("2026-06-03T06:00:00Z"));
    // 3:00 Paris → same morning 8:00 Paris
    expect(smsSendableAt(new Date("2026-06-03T01:00:00Z"), quiet)).toEqual(new Date("2026-06-03T06:00:00Z"));
    // winter (UTC+1): 23:00 Paris on 24 Dec → 8:00 Paris on 25 Dec
    expect(smsSendableAt(new Date("2026-12-24T22:00:00Z"), quiet)).toEqual(new Date("2026-12-25T07:00:00Z"));
  });

  it("handles the night of the clock change (29 March 2026: 8:00 Paris is 6:00 UTC)", () => {
    expect(smsSendableAt(new Date("2026-03-28T22:00:00Z"), quiet)).toEqual(new Date("2026-03-29T06:00:00Z"));
  });

  it("supports a daytime quiet window, and none when both ends are equal", () => {
    const lunch = { from: "12:00", to: "14:00" };
    expect(smsSendableAt(new Date("2026-06-02T10:30:00Z"), lunch)).toEqual(new Date("2026-06-02T12:00:00Z"));
    expect(smsSendableAt(new Date("2026-06-02T09:59:00Z"), lunch)).toEqual(new Date("2026-06-02T09:59:00Z"));
    const never = { from: "00:00", to: "00:00" };
    expect(smsSendableAt(new Date("2026-06-02T01:00:00Z"), never)).toEqual(new Date("2026-06-02T01:00:00Z"));
  });

  it("never sends inside quiet hours and never waits more than the quiet window (property)", () => {
    const instants = fc.date({
      min: new Date("2026-01-01T00:00:00Z"),
      max: new Date("2027-12-31T00:00:00Z"),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(instants, (at) => {
        const sendable = smsSendableAt(at, quiet);
        expect(sendable.getTime()).toBeGreaterThanOrEqual(at.getTime());
        expect(sendable.getTime() - at.getTime()).toBeLessThanOrEqual(13 * 3_600_000);
        const hour = Number(
          sendable.toLocaleTimeString("fr-FR", { timeZone: "Europe/Paris", hour: "2-digit" }).slice(0, 2),
        );
        expect(hour >= 8 && hour < 20).toBe(true);
      }),
    );
  });
});

describe("reminder", () => {
  const startsAt = new Date("2026-06-10T07:00:00Z");
  it("is due the chosen number of hours before the appointment", () => {
    expect(reminderDueAt(startsAt, 48, new Date("2026-06-01T09:00:00Z"))).toEqual(
      new Date("2026-06-08T07:00:00Z"),
    );
  });
  it("is not sent when the appointment is sooner than that: the summon just left", () => {
    expect(reminderDueAt(startsAt, 48, new Date("2026-06-08T08:00:00Z"))).toBeNull();
  });
});

describe("retries", () => {
  const now = new Date("2026-06-01T09:00:00Z");
  it("retries temporary errors with a growing delay, then gives up", () => {
    expect([1, 2, 3, 4].map(retryDelayMs)).toEqual([60_000, 300_000, 1_500_000, 7_500_000]);
    const first = afterFailure(new SendError("Brevo 503", true), 1, now);
    expect(first).toEqual({
      status: "pending",
      notBefore: new Date(now.getTime() + 60_000),
      lastError: "Brevo 503",
    });
    expect(afterFailure(new SendError("Brevo 503", true), MAX_ATTEMPTS, now)).toEqual({
      status: "failed",
      lastError: "Brevo 503",
    });
  });
  it("ends a non-retryable error at once", () => {
    expect(afterFailure(new SendError("Brevo 400 invalid_parameter", false), 1, now)).toEqual({
      status: "failed",
      lastError: "Brevo 400 invalid_parameter",
    });
  });
  it("an unknown outcome is uncertain: one resend after the wait, then uncertain for good", () => {
    const first = afterFailure(new UncertainSendError("Brevo n'a pas répondu"), 1, now, 0);
    expect(first).toMatchObject({
      status: "uncertain",
      uncertainSends: 1,
      uncertainAt: now,
      notBefore: new Date(now.getTime() + UNCERTAIN_WAIT_MS),
    });
    expect(uncertainForGood(1)).toBe(false);
    const second = afterFailure(new UncertainSendError("Brevo n'a pas répondu"), 2, now, 1);
    expect(second).toMatchObject({ status: "uncertain", uncertainSends: 2 });
    expect(second.lastError).toContain("non renvoyé");
    expect(uncertainForGood(2)).toBe(true);
    // Anything else than a SendError (a bug, an unexpected library exception) may have left too.
    expect(afterFailure(new TypeError("x is undefined"), 1, now, 0)).toMatchObject({
      status: "uncertain",
      uncertainSends: 1,
    });
    expect(afterFailure("thrown string", 2, now, 1)).toMatchObject({
      status: "uncertain",
      uncertainSends: 2,
    });
    // Uncertain even on the last attempt: it is never turned into a plain failure.
    expect(afterFailure(new UncertainSendError("coupé"), MAX_ATTEMPTS, now, 0).status).toBe("uncertain");
  });
});

describe("an e-mail's end of data (ADR 0004, addendum 2026-12-04)", () => {
  const now = new Date("2026-06-01T09:00:00Z");
  it("an unknown outcome after the marked end ends it at once: never resent, counted as over", () => {
    const ended = afterFailure(new UncertainSendError("coupé", "", true), 1, now, 0, "email");
    expect(ended).toMatchObject({ status: "uncertain", uncertainSends: MAX_UNCERTAIN_SENDS, notBefore: now });
    expect(ended.lastError).toContain("non renvoyé");
    expect(uncertainForGood(MAX_UNCERTAIN_SENDS)).toBe(true);
  });

  it("a lease expired without the marker: back to pending at once, not an uncertain send", () => {
    expect(afterExpiredLease({ channel: "email", uncertainSends: 0, dataEndAt: null }, now)).toEqual({
      status: "pending",
      notBefore: now,
      lastError: EMAIL_INTERRUPTED_BEFORE_END,
    });
  });

  it("a lease expired with the marker: ended uncertain, never resent", () => {
    const ended = afterExpiredLease({ channel: "email", uncertainSends: 0, dataEndAt: now }, now);
    expect(ended).toMatchObject({ status: "uncertain", uncertainSends: MAX_UNCERTAIN_SENDS, notBefore: now });
    expect(ended.lastError).toContain("non renvoyé");
  });

  it("an SMS is unchanged: uncertain, looked up then resent once at most, whatever the column says", () => {
    for (const dataEndAt of [null, now])
      expect(afterExpiredLease({ channel: "sms", uncertainSends: 0, dataEndAt }, now)).toMatchObject({
        status: "uncertain",
        uncertainSends: 1,
        notBefore: new Date(now.getTime() + UNCERTAIN_WAIT_MS),
      });
  });
});
