import type { InboxItem } from "../../../common/orientations/orientations.schema";

const OPEN_STATUSES: readonly InboxItem["status"][] = ["sent", "accepted"];

/**
 * Open (to answer, or to close with its outcome) or closed (answered for good, expired, cancelled),
 * with or without the person's consent: without it, a sent one may still be refused and an accepted
 * one closed with its outcome (the server takes both; the sender learns what was done, the receiving
 * side no longer who it was).
 */
export const isOpen = (item: Pick<InboxItem, "status">): boolean => OPEN_STATUSES.includes(item.status);
