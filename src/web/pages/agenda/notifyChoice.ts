import type { YesNo } from "./SlotPicker";

/**
 * The original convocation's choice of messages, channel by channel, where none is made yet: a
 * channel already answered (by the agent, or "Non" for a missing number or address) keeps its answer.
 */
export function withOriginalChoice(
  choice: { sms: YesNo; email: YesNo },
  original: { notifySms: boolean; notifyEmail: boolean },
  contact: { phone: string; email: string },
): { sms: YesNo; email: YesNo } {
  return {
    sms: choice.sms !== "" ? choice.sms : original.notifySms && contact.phone ? "yes" : "no",
    email: choice.email !== "" ? choice.email : original.notifyEmail && contact.email ? "yes" : "no",
  };
}
