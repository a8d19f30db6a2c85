-- hand-written: every national partner gets démarche types (MSA, France Rénov', Chèque énergie and
-- Urssaf had none; a second one for Agirc-Arrco), the same as the seed (src/server/db/seed/catalogue.ts).
-- Idempotent: a type whose code exists is left as it is; a partner missing from the database gets none
-- (a new database gets them from the seed).
INSERT INTO "demarche_type" ("partner_id", "code", "label", "category", "documents")
SELECT p."id", v."code", v."label", v."category"::"demarche_category", v."documents"
FROM (VALUES
  ('msa', 'msa-affiliation', 'Affiliation à la MSA', 'social-sante', ARRAY['Pièce d''identité', 'Relevé d''identité bancaire', 'Contrat de travail ou attestation d''emploi']),
  ('msa', 'msa-espace-prive', 'Création de l''espace privé MSA', 'social-sante', ARRAY[]::text[]),
  ('msa', 'msa-prime-activite', 'Prime d''activité (MSA)', 'travail-formation', ARRAY[]::text[]),
  ('msa', 'msa-rsa', 'Demande de RSA (MSA)', 'social-sante', ARRAY[]::text[]),
  ('france-renov', 'france-renov-maprimerenov', 'Demande de MaPrimeRénov''', 'logement', ARRAY['Avis d''imposition', 'Devis des travaux', 'Justificatif de propriété']),
  ('france-renov', 'france-renov-conseil', 'Rendez-vous avec un conseiller France Rénov''', 'logement', ARRAY[]::text[]),
  ('cheque-energie', 'cheque-energie-reclamation', 'Chèque énergie non reçu : réclamation', 'logement', ARRAY['Avis d''imposition', 'Facture d''énergie']),
  ('cheque-energie', 'cheque-energie-utilisation', 'Utilisation ou pré-affectation du chèque énergie', 'argent-impots-consommation', ARRAY[]::text[]),
  ('urssaf', 'urssaf-micro-entreprise', 'Création d''une micro-entreprise', 'travail-formation', ARRAY['Pièce d''identité', 'Justificatif de domicile ou de domiciliation']),
  ('urssaf', 'urssaf-declaration-ca', 'Déclaration du chiffre d''affaires (micro-entrepreneur)', 'travail-formation', ARRAY[]::text[]),
  ('urssaf', 'urssaf-cesu', 'Cesu : déclarer un salarié à domicile', 'argent-impots-consommation', ARRAY[]::text[]),
  ('agirc-arrco', 'agirc-arrco-demande-retraite', 'Demande de retraite complémentaire', 'travail-formation', ARRAY[]::text[])
) AS v("partner_code", "code", "label", "category", "documents")
JOIN "partner" p ON p."code" = v."partner_code"
ON CONFLICT ("code") DO NOTHING;
