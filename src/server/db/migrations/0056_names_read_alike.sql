-- Two partners of the catalogue, or two organisations of a structure's directory, never read alike
-- (case and runs of spaces aside): one unique index each on the name so compared, which the use
-- cases answer as « nom déjà pris » (409). A database written before may hold such twins (the
-- catalogue's additions were not checked, the directory's never): every twin but the first (oldest
-- directory entry, smallest catalogue code) is renamed « … (doublon 2) », « … (doublon 3) » so that
-- the index can be built; the administrator or the direction then renames or archives it.
UPDATE "partner" p SET "name" = p."name" || ' (doublon ' || t.n || ')'
  FROM (
    SELECT "id", row_number() OVER (
      PARTITION BY lower(regexp_replace(trim("name"), '\s+', ' ', 'g')) ORDER BY "code"
    ) AS n FROM "partner"
  ) t
  WHERE t."id" = p."id" AND t.n > 1;--> statement-breakpoint
UPDATE "directory_entry" e SET "name" = e."name" || ' (doublon ' || t.n || ')'
  FROM (
    SELECT "id", row_number() OVER (
      PARTITION BY "structure_id", lower(regexp_replace(trim("name"), '\s+', ' ', 'g'))
      ORDER BY "created_at", "id"
    ) AS n FROM "directory_entry"
  ) t
  WHERE t."id" = e."id" AND t.n > 1;--> statement-breakpoint
-- The renamings' deferred checks, run now: an index is not built on a table with checks pending.
SET CONSTRAINTS ALL IMMEDIATE;--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "partner_name_read_alike_uq"
  ON "partner" USING btree (lower(regexp_replace(trim("name"), '\s+', ' ', 'g')));--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "directory_entry_name_read_alike_uq"
  ON "directory_entry" USING btree ("structure_id", lower(regexp_replace(trim("name"), '\s+', ' ', 'g')));
