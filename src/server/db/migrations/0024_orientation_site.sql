ALTER TABLE "orientation" ADD COLUMN "site_id" uuid;--> statement-breakpoint
ALTER TABLE "orientation" ADD CONSTRAINT "orientation_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "orientation_site_time_idx" ON "orientation" USING btree ("site_id","created_at");--> statement-breakpoint
-- hand-written: the site where each orientation was decided (ADR 0019): its démarche's site, else the
-- site of the person's latest visit before it; what createOrientation does from now on.
UPDATE orientation o SET site_id = coalesce(
    (SELECT d.site_id FROM demarche d WHERE d.id = o.demarche_id),
    (SELECT v.site_id FROM visit v WHERE v.person_id = o.person_id AND v.started_at <= o.created_at
      ORDER BY v.started_at DESC LIMIT 1));
