-- The contrôle judiciaire (pre-trial judicial supervision, art. 138 CPP): the SPIP and the France
-- services permanences also accompany people under it. Appended to the enum (alone in its file:
-- a value added in a transaction cannot be used before it commits).
ALTER TYPE "public"."measure_type" ADD VALUE IF NOT EXISTS 'controle_judiciaire';
