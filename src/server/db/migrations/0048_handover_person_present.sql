-- Whether the person attended their handover meeting (seed: « instances pluridisciplinaires assurant
-- la passation des informations … en sa présence »). Null for the meetings held before it was asked.
ALTER TABLE "handover_meeting" ADD COLUMN "person_present" boolean;
