-- ADR 0038: the France services training of an agent of a structure, recorded by its direction.
CREATE TABLE "counselor_training" (
	"structure_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"trained_on" date NOT NULL,
	"organisation" text DEFAULT '' NOT NULL,
	"recorded_by" uuid,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "counselor_training_structure_id_user_id_pk" PRIMARY KEY("structure_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "counselor_training" ADD CONSTRAINT "counselor_training_structure_id_structure_id_fk" FOREIGN KEY ("structure_id") REFERENCES "public"."structure"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "counselor_training" ADD CONSTRAINT "counselor_training_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "counselor_training" ADD CONSTRAINT "counselor_training_recorded_by_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;
