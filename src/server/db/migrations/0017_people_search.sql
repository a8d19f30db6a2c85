-- People search (ADR 0011). The folding mirrors searchFold() in src/server/domains/people/search.ts:
-- a fixed table (no locale, no unaccent dictionary), so it is IMMUTABLE and may feed a generated column.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.search_fold(value text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT regexp_replace(translate(replace(replace(replace(replace(replace(value, 'œ', 'oe'), 'Œ', 'oe'), 'æ', 'ae'), 'Æ', 'ae'), 'ß', 'ss'), 'àáâãäåāăąçćĉċčďđèéêëēĕėęěĝğġģĥħìíîïĩīĭįıĵķĺļľŀłñńņňòóôõöøōŏőŕŗřśŝşšșţťŧțùúûüũūŭůűųŵýÿŷźżžÀÁÂÃÄÅĀĂĄÇĆĈĊČĎĐÈÉÊËĒĔĖĘĚĜĞĠĢĤĦÌÍÎÏĨĪĬĮİĴĶĹĻĽĿŁÑŃŅŇÒÓÔÕÖØŌŎŐŔŖŘŚŜŞŠȘŢŤŦȚÙÚÛÜŨŪŬŮŰŲŴÝŸŶŹŻŽABCDEFGHIJKLMNOPQRSTUVWXYZ', 'aaaaaaaaacccccddeeeeeeeeegggghhiiiiiiiiijklllllnnnnooooooooorrrsssssttttuuuuuuuuuuwyyyzzzaaaaaaaaacccccddeeeeeeeeegggghhiiiiiiiiijklllllnnnnooooooooorrrsssssttttuuuuuuuuuuwyyyzzzabcdefghijklmnopqrstuvwxyz'), '[^a-z0-9]', '', 'g') $$;--> statement-breakpoint
-- Folded last name, folded first name, the phone's digits (E.164 without "+") and its French national form.
CREATE OR REPLACE FUNCTION public.person_search_key(last_name text, first_name text, phone text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT public.search_fold(last_name) || ' ' || public.search_fold(first_name) || ' ' || regexp_replace(phone, '[^0-9]', '', 'g') || CASE WHEN phone LIKE '+33%' THEN ' 0' || substr(phone, 4) ELSE '' END $$;--> statement-breakpoint
ALTER TABLE "person" ADD COLUMN "closed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "person" ADD COLUMN "search_key" text GENERATED ALWAYS AS (public.person_search_key(last_name, first_name, phone)) STORED NOT NULL;--> statement-breakpoint
CREATE INDEX "person_search_key_trgm_idx" ON "person" USING gin ("search_key" gin_trgm_ops);