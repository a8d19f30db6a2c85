import {
  ORIENTATION_EXPIRY_DAYS,
  type OrientationStatus,
} from "../../../common/orientations/orientations.schema";

type Move = "send" | "cancel" | "accept" | "refuse" | "complete";

const allowed: Record<Move, OrientationStatus[]> = {
  send: ["draft"],
  cancel: ["draft", "sent"],
  accept: ["sent"],
  refuse: ["sent"],
  complete: ["accepted"],
};

/** Orientation lifecycle: draft → sent → accepted | refused | expired | cancelled; accepted → completed. */
export function mayMove(status: OrientationStatus, move: Move): boolean {
  return allowed[move].includes(status);
}

export function expiryOf(sentAt: Date): Date {
  return new Date(sentAt.getTime() + ORIENTATION_EXPIRY_DAYS * 86_400_000);
}

/** A sent orientation past its expiry reads as expired, whether or not the row was updated yet. */
export function effectiveStatus(
  status: OrientationStatus,
  expiresAt: Date | null,
  now: Date,
): OrientationStatus {
  return status === "sent" && expiresAt !== null && expiresAt.getTime() <= now.getTime() ? "expired" : status;
}

export function responseHours(sentAt: Date | null, answeredAt: Date | null): number | null {
  if (!sentAt || !answeredAt) return null;
  return Math.round(((answeredAt.getTime() - sentAt.getTime()) / 3_600_000) * 10) / 10;
}
