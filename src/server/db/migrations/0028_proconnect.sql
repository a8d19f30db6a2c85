CREATE TABLE "proconnect_login" (
	"state_hash" text PRIMARY KEY NOT NULL,
	"nonce" text NOT NULL,
	"code_verifier" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "session" ADD COLUMN "proconnect_id_token" text;--> statement-breakpoint
CREATE INDEX "proconnect_login_expires_idx" ON "proconnect_login" USING btree ("expires_at");