CREATE TYPE "public"."audit_outcome" AS ENUM('success', 'denied', 'failure');--> statement-breakpoint
CREATE TYPE "public"."demarche_category" AS ENUM('papiers-citoyennete', 'famille-scolarite', 'social-sante', 'travail-formation', 'logement', 'transports', 'argent-impots-consommation', 'justice', 'etranger', 'loisirs');--> statement-breakpoint
CREATE TYPE "public"."measure_type" AS ENUM('sursis_probatoire', 'liberation_conditionnelle', 'semi_liberte', 'detention_domicile_surveillance_electronique', 'travail_interet_general', 'suivi_socio_judiciaire', 'contrainte_penale', 'detention');--> statement-breakpoint
CREATE TYPE "public"."partner_kind" AS ENUM('national_operator', 'local_correspondent', 'association', 'iae_employer');--> statement-breakpoint
CREATE TYPE "public"."person_status" AS ENUM('milieu_ouvert', 'semi_liberte', 'probation', 'sortant_detention', 'detenu');--> statement-breakpoint
CREATE TYPE "public"."role" AS ENUM('probation_officer', 'counselor', 'service_manager', 'steering', 'partner_referent', 'admin');--> statement-breakpoint
CREATE TYPE "public"."service_kind" AS ENUM('spip', 'association');--> statement-breakpoint
CREATE TYPE "public"."session_stage" AS ENUM('totp_pending', 'enrolment_required', 'active');--> statement-breakpoint
CREATE TYPE "public"."site_kind" AS ENUM('spip_office', 'france_services', 'prison', 'sas', 'mobile');--> statement-breakpoint
CREATE TABLE "audit_event" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_user_id" uuid,
	"action" text NOT NULL,
	"target_type" text DEFAULT '' NOT NULL,
	"target_id" text DEFAULT '' NOT NULL,
	"structure_id" uuid,
	"request_id" text DEFAULT '' NOT NULL,
	"outcome" "audit_outcome" NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"ip" text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "auth_attempt" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"email" text NOT NULL,
	"ip" text NOT NULL,
	"success" boolean NOT NULL
);
--> statement-breakpoint
CREATE TABLE "demarche_type" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partner_id" uuid,
	"code" text NOT NULL,
	"label" text NOT NULL,
	"category" "demarche_category" NOT NULL,
	CONSTRAINT "demarche_type_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "measure" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"type" "measure_type" NOT NULL,
	"start_date" date NOT NULL,
	"end_date" date NOT NULL,
	"offence" text DEFAULT '' NOT NULL,
	"court" text DEFAULT '' NOT NULL,
	"judgment_date" date
);
--> statement-breakpoint
CREATE TABLE "membership" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"structure_id" uuid NOT NULL,
	"service_id" uuid,
	"partner_id" uuid,
	"role" "role" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "partner" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"kind" "partner_kind" NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	CONSTRAINT "partner_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "person" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"structure_id" uuid NOT NULL,
	"first_name" text NOT NULL,
	"last_name" text NOT NULL,
	"birth_date" date NOT NULL,
	"birth_place" text DEFAULT '' NOT NULL,
	"phone" text DEFAULT '' NOT NULL,
	"email" text DEFAULT '' NOT NULL,
	"address" text DEFAULT '' NOT NULL,
	"status" "person_status" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "referent" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"service_id" uuid NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "service" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"structure_id" uuid NOT NULL,
	"name" text NOT NULL,
	"kind" "service_kind" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "session" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"stage" "session_stage" NOT NULL,
	"csrf_token" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"totp_failures" integer DEFAULT 0 NOT NULL,
	"ip" text DEFAULT '' NOT NULL,
	"user_agent" text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "site" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"structure_id" uuid NOT NULL,
	"name" text NOT NULL,
	"kind" "site_kind" NOT NULL,
	"address" text NOT NULL,
	"access_instructions" text DEFAULT '' NOT NULL,
	"phone" text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "structure" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"label_number" text NOT NULL,
	"departement" text NOT NULL,
	"co_holders" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "user" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"display_name" text NOT NULL,
	"password_hash" text NOT NULL,
	"password_changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"disabled_at" timestamp with time zone,
	"totp_secret" text,
	"totp_pending_secret" text,
	"totp_last_step" bigint,
	"recovery_code_hashes" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "user_email_unique" UNIQUE("email")
);
--> statement-breakpoint
ALTER TABLE "demarche_type" ADD CONSTRAINT "demarche_type_partner_id_partner_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partner"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measure" ADD CONSTRAINT "measure_person_id_person_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."person"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "membership" ADD CONSTRAINT "membership_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "membership" ADD CONSTRAINT "membership_structure_id_structure_id_fk" FOREIGN KEY ("structure_id") REFERENCES "public"."structure"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "membership" ADD CONSTRAINT "membership_service_id_service_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."service"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "membership" ADD CONSTRAINT "membership_partner_id_partner_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partner"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person" ADD CONSTRAINT "person_structure_id_structure_id_fk" FOREIGN KEY ("structure_id") REFERENCES "public"."structure"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referent" ADD CONSTRAINT "referent_person_id_person_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."person"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referent" ADD CONSTRAINT "referent_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referent" ADD CONSTRAINT "referent_service_id_service_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."service"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service" ADD CONSTRAINT "service_structure_id_structure_id_fk" FOREIGN KEY ("structure_id") REFERENCES "public"."structure"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session" ADD CONSTRAINT "session_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "site" ADD CONSTRAINT "site_structure_id_structure_id_fk" FOREIGN KEY ("structure_id") REFERENCES "public"."structure"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_structure_at_idx" ON "audit_event" USING btree ("structure_id","at");--> statement-breakpoint
CREATE INDEX "audit_actor_at_idx" ON "audit_event" USING btree ("actor_user_id","at");--> statement-breakpoint
CREATE INDEX "audit_target_idx" ON "audit_event" USING btree ("target_type","target_id");--> statement-breakpoint
CREATE INDEX "auth_attempt_ip_at_idx" ON "auth_attempt" USING btree ("ip","at");--> statement-breakpoint
CREATE INDEX "auth_attempt_email_at_idx" ON "auth_attempt" USING btree ("email","at");--> statement-breakpoint
CREATE INDEX "demarche_type_partner_idx" ON "demarche_type" USING btree ("partner_id");--> statement-breakpoint
CREATE INDEX "measure_person_idx" ON "measure" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "measure_end_idx" ON "measure" USING btree ("end_date");--> statement-breakpoint
CREATE UNIQUE INDEX "membership_user_structure_role_uq" ON "membership" USING btree ("user_id","structure_id","role");--> statement-breakpoint
CREATE INDEX "membership_structure_idx" ON "membership" USING btree ("structure_id");--> statement-breakpoint
CREATE INDEX "person_structure_name_idx" ON "person" USING btree ("structure_id","last_name","first_name");--> statement-breakpoint
CREATE UNIQUE INDEX "referent_one_active_uq" ON "referent" USING btree ("person_id") WHERE "referent"."ended_at" is null;--> statement-breakpoint
CREATE INDEX "referent_user_idx" ON "referent" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "referent_service_idx" ON "referent" USING btree ("service_id");--> statement-breakpoint
CREATE INDEX "service_structure_idx" ON "service" USING btree ("structure_id");--> statement-breakpoint
CREATE INDEX "session_user_idx" ON "session" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "site_structure_idx" ON "site" USING btree ("structure_id");