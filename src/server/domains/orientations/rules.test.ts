import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { orientationStatuses } from "../../../common/orientations/orientations.schema";
import { effectiveStatus, expiryOf, mayMove, responseHours } from "./rules";

describe("orientation lifecycle", () => {
  it("draft → sent → accepted → completed; refusal and cancellation only before an answer", () => {
    expect(mayMove("draft", "send")).toBe(true);
    expect(mayMove("sent", "accept")).toBe(true);
    expect(mayMove("accepted", "complete")).toBe(true);
    expect(mayMove("accepted", "refuse")).toBe(false);
    expect(mayMove("refused", "accept")).toBe(false);
    expect(mayMove("sent", "cancel")).toBe(true);
    expect(mayMove("accepted", "cancel")).toBe(false);
  });

  it("expires 30 days after sending, only if still unanswered (property)", () => {
    const sentAt = new Date("2026-06-01T09:00:00Z");
    const expiresAt = expiryOf(sentAt);
    expect(expiresAt).toEqual(new Date("2026-07-01T09:00:00Z"));
    fc.assert(
      fc.property(
        fc.constantFrom(...orientationStatuses),
        fc.integer({ min: 0, max: 60 }),
        (status, days) => {
          const now = new Date(sentAt.getTime() + days * 86_400_000);
          const effective = effectiveStatus(status, expiresAt, now);
          expect(effective).toBe(status === "sent" && days >= 30 ? "expired" : status);
        },
      ),
    );
  });

  it("measures the response time in hours", () => {
    expect(responseHours(new Date("2026-06-01T09:00:00Z"), new Date("2026-06-02T15:30:00Z"))).toBe(30.5);
    expect(responseHours(new Date("2026-06-01T09:00:00Z"), null)).toBeNull();
  });
});
