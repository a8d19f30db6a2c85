-- A second factor's answer lost on its way (ADR 0036, addendum 2026-12-06): the pending session is
-- kept for a short while after its code was accepted, marked with the full session it became and
-- holding that session's cookie sealed under the pending cookie and the code, so that the same code
-- sent again with the same cookie is answered as the first time. Deleted with the full session.
ALTER TABLE "session" ADD COLUMN IF NOT EXISTS "promoted_to" text REFERENCES "session"("token_hash") ON DELETE CASCADE;--> statement-breakpoint
ALTER TABLE "session" ADD COLUMN IF NOT EXISTS "promoted_tokens" text;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "session_promoted_to_idx" ON "session" USING btree ("promoted_to");
