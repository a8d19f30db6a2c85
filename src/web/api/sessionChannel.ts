/**
 * Tells Passerelle's other tabs and windows of this browser that a session is open (signed in on
 * the login page, through ProConnect in another window, or in the expired-session dialog): a tab
 * showing "Votre session a expiré" reads its session again at once, without waiting for the agent
 * to come back to it. Nothing but the fact is sent (the session itself stays in its cookie).
 */
const CHANNEL = "passerelle-session";

export function announceSignedIn(): void {
  if (typeof BroadcastChannel === "undefined") return;
  const channel = new BroadcastChannel(CHANNEL);
  channel.postMessage("signed-in");
  channel.close();
}

/** Calls `listener` when another tab or window says a session is open; returns the unsubscribe. */
export function onSignedInElsewhere(listener: () => void): () => void {
  if (typeof BroadcastChannel === "undefined") return () => undefined;
  const channel = new BroadcastChannel(CHANNEL);
  channel.onmessage = (event) => {
    if (event.data === "signed-in") listener();
  };
  return () => channel.close();
}
