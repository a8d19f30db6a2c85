ALTER TYPE "public"."notification_status" ADD VALUE 'logged';--> statement-breakpoint
ALTER TABLE "person" ADD COLUMN "file_number" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE "person" p SET "file_number" = n.rn
  FROM (SELECT id, row_number() OVER (PARTITION BY structure_id ORDER BY created_at, id) AS rn FROM "person") n
  WHERE n.id = p.id;--> statement-breakpoint
ALTER TABLE "user" ADD COLUMN "must_change_password" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "person_structure_file_number_uq" ON "person" USING btree ("structure_id","file_number");--> statement-breakpoint
CREATE OR REPLACE FUNCTION person_next_file_number() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.file_number = 0 THEN
    -- One number at a time per structure; the unique index backs it.
    PERFORM pg_advisory_xact_lock(hashtextextended('person-file-number|' || NEW.structure_id::text, 0));
    SELECT coalesce(max(file_number), 0) + 1 INTO NEW.file_number FROM person WHERE structure_id = NEW.structure_id;
  END IF;
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER person_file_number BEFORE INSERT ON "person" FOR EACH ROW EXECUTE FUNCTION person_next_file_number();
