import { z } from "zod";

/** Zod's messages in French, for the server's 400s and the web forms alike. */
z.config(z.locales.fr());
