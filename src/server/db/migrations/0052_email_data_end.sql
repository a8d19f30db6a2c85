-- An e-mail's end of data (ADR 0004, addendum 2026-12-04): the worker records it for its claim
-- just before the SMTP terminating dot may leave. A `sending` e-mail whose lease expires without it
-- was never taken by the relay (sent again normally); with it, it is ended uncertain, never resent.
ALTER TABLE "notification" ADD COLUMN IF NOT EXISTS "data_end_at" timestamp with time zone;--> statement-breakpoint
-- E-mails in flight when the previous version stopped were sent without that order: their dot may
-- have left, so they count as marked (ended uncertain at the lease, never sent twice).
UPDATE "notification" SET "data_end_at" = "claimed_at"
  WHERE "channel" = 'email' AND "status" = 'sending' AND "data_end_at" IS NULL;
