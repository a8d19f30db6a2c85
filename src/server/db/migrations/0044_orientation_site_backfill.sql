-- An orientation counts at the site where it was decided (ADR 0018): its démarche's site, else the
-- site of the person's latest visit recorded before it. Two kinds of rows were stored without one: an
-- orientation decided right after a visit recorded early (its appointment time still ahead; the code
-- is fixed, ADR 0018 addendum of 2026-12-03), and the generated demo orientations (the seed left the
-- column out). Both get the site the rule gives; a row for which it gives none stays without a site.
UPDATE "orientation" o SET "site_id" = found."site_id"
FROM (
  SELECT x."id", coalesce(
    (SELECT d."site_id" FROM "demarche" d WHERE d."id" = x."demarche_id"),
    (SELECT v."site_id" FROM "visit" v
      WHERE v."person_id" = x."person_id" AND v."created_at" <= x."created_at"
      ORDER BY v."started_at" DESC LIMIT 1)
  ) AS "site_id"
  FROM "orientation" x
  WHERE x."site_id" IS NULL
) found
WHERE found."id" = o."id" AND found."site_id" IS NOT NULL;
