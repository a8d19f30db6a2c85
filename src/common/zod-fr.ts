import { z } from "zod";
import { fr } from "zod/locales";

/** Zod's messages in French, for the server's 400s and the web forms alike (only this locale is bundled). */
z.config(fr());
