CREATE TABLE "home_marker" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"seen_up_to" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "convocation" ADD COLUMN "arrived_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "home_marker" ADD CONSTRAINT "home_marker_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;