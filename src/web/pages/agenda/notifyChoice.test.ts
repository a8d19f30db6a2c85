import { describe, expect, it } from "vitest";
import { withOriginalChoice } from "./notifyChoice";

describe("withOriginalChoice", () => {
  const smsOnly = { notifySms: true, notifyEmail: false };

  it("takes the original's choice for each channel not answered yet", () => {
    const contact = { phone: "+33611223344", email: "a@exemple.invalid" };
    expect(withOriginalChoice({ sms: "", email: "" }, smsOnly, contact)).toEqual({ sms: "yes", email: "no" });
  });

  it("keeps the SMS of the original when the e-mail was already set to « Non » for want of an address", () => {
    // The choice fields answer « Non » for a missing address before the original is read.
    const noEmail = { phone: "+33611223344", email: "" };
    expect(withOriginalChoice({ sms: "", email: "no" }, smsOnly, noEmail)).toEqual({
      sms: "yes",
      email: "no",
    });
  });

  it("never overrides an answer already given", () => {
    const contact = { phone: "+33611223344", email: "a@exemple.invalid" };
    expect(withOriginalChoice({ sms: "no", email: "yes" }, smsOnly, contact)).toEqual({
      sms: "no",
      email: "yes",
    });
  });
});
