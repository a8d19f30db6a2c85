/**
 * Notification templates, shared by the server (sending) and the web app (live preview): the
 * whitelisted placeholders, the national default texts, rendering, and SMS encoding (GSM-7 where
 * possible) with its segment count.
 */
import { formatLongDate, formatTime, withPlainSpaces } from "../dateFormat";

export const notificationKinds = ["summon", "reminder", "reschedule", "cancellation", "missed"] as const;
export type NotificationKind = (typeof notificationKinds)[number];
export const notificationChannels = ["sms", "email"] as const;
export type NotificationChannel = (typeof notificationChannels)[number];

export const notificationKindLabels: Record<NotificationKind, string> = {
  summon: "Convocation",
  reminder: "Rappel",
  reschedule: "Report (nouvelle date)",
  cancellation: "Annulation",
  missed: "Absence constatée",
};
export const notificationChannelLabels: Record<NotificationChannel, string> = {
  sms: "SMS",
  email: "Courriel",
};

/** The only values a template may use. Nothing else about the person can leak into a message. */
export const placeholders = {
  date: "la date complète (ex. mardi 2 juin 2026)",
  heure: "l'heure (ex. 9 h 00)",
  lieu: "le nom du lieu de permanence",
  adresse: "l'adresse du lieu",
  telephone: "le téléphone du lieu",
  lien_preparation: "le lien de préparation du rendez-vous (configuration de la structure)",
  a_apporter: "ce qu'il faut apporter",
} as const;
export type Placeholder = keyof typeof placeholders;
export type PlaceholderValues = Record<Placeholder, string>;

export interface TemplateText {
  subject: string;
  body: string;
}

/**
 * National defaults. The texts never name the probation service nor the judicial measure: the
 * phone may be shared, and the message must not reveal that its owner is under supervision.
 */
export const defaultTemplates: Record<NotificationKind, Record<NotificationChannel, TemplateText>> = {
  summon: {
    sms: {
      subject: "",
      body: "France services : rendez-vous le {date} à {heure}, {lieu}, {adresse}. Apportez une pièce d'identité. Empêché ? Appelez le {telephone}.",
    },
    email: {
      subject: "Votre rendez-vous France services du {date}",
      body: "Bonjour,\n\nVous avez rendez-vous à la permanence France services le {date} à {heure}.\n\nLieu : {lieu}, {adresse}.\n\nÀ apporter : {a_apporter}.\n\nSi vous ne pouvez pas venir, prévenez-nous au {telephone} : un autre rendez-vous vous sera proposé.\n\nFrance services",
    },
  },
  reminder: {
    sms: {
      subject: "",
      body: "Rappel France services : rendez-vous le {date} à {heure}, {lieu}, {adresse}. Empêché ? Appelez le {telephone}.",
    },
    email: {
      subject: "Rappel : rendez-vous France services le {date}",
      body: "Bonjour,\n\nNous vous rappelons votre rendez-vous à la permanence France services le {date} à {heure}.\n\nLieu : {lieu}, {adresse}.\n\nÀ apporter : {a_apporter}.\n\nSi vous ne pouvez pas venir, prévenez-nous au {telephone}.\n\nFrance services",
    },
  },
  reschedule: {
    sms: {
      subject: "",
      body: "France services : votre rendez-vous est déplacé au {date} à {heure}, {lieu}, {adresse}. Empêché ? Appelez le {telephone}.",
    },
    email: {
      subject: "Nouvelle date pour votre rendez-vous France services : {date}",
      body: "Bonjour,\n\nVotre rendez-vous à la permanence France services est déplacé au {date} à {heure}.\n\nLieu : {lieu}, {adresse}.\n\nÀ apporter : {a_apporter}.\n\nSi vous ne pouvez pas venir, prévenez-nous au {telephone}.\n\nFrance services",
    },
  },
  cancellation: {
    sms: {
      subject: "",
      body: "France services : votre rendez-vous du {date} à {heure} ({lieu}) est annulé. Questions : {telephone}.",
    },
    email: {
      subject: "Rendez-vous France services du {date} annulé",
      body: "Bonjour,\n\nVotre rendez-vous à la permanence France services du {date} à {heure} ({lieu}) est annulé.\n\nPour toute question : {telephone}.\n\nFrance services",
    },
  },
  missed: {
    sms: {
      subject: "",
      body: "France services : nous ne vous avons pas vu le {date} à {heure}. Appelez le {telephone} pour un nouveau rendez-vous.",
    },
    email: {
      subject: "Rendez-vous France services manqué le {date}",
      body: "Bonjour,\n\nNous ne vous avons pas vu à votre rendez-vous du {date} à {heure} ({lieu}).\n\nAppelez le {telephone} pour convenir d'un nouveau rendez-vous.\n\nFrance services",
    },
  },
};

const placeholderPattern = /\{([^{}]*)\}/g;

/** Placeholders used by a text that are not in the whitelist. */
export function unknownPlaceholders(text: string): string[] {
  const unknown = [...text.matchAll(placeholderPattern)]
    .map((m) => m[1] ?? "")
    .filter((name) => !(name in placeholders));
  return [...new Set(unknown)];
}

export function renderTemplate(text: string, values: PlaceholderValues): string {
  return text.replace(placeholderPattern, (whole, name: string) =>
    name in placeholders ? values[name as Placeholder] : whole,
  );
}

/** The line every SMS ends with: the personal link that records the opt-out. */
export function stopLine(stopUrl: string): string {
  return `STOP SMS : ${stopUrl}`;
}

export function renderSms(body: string, values: PlaceholderValues, stopUrl: string): string {
  return toGsm7(`${renderTemplate(body, values)}\n${stopLine(stopUrl)}`);
}

// GSM 03.38 basic character set, and its extension table (each extension char costs 2 septets).
const GSM_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM_EXTENSION = "^{}\\[~]|€";
const gsmBasic = new Set(GSM_BASIC);
const gsmExtension = new Set(GSM_EXTENSION);

/** French characters outside GSM-7, replaced by their closest GSM-7 equivalent. */
const replacements: Record<string, string> = {
  â: "a",
  ê: "e",
  ë: "e",
  î: "i",
  ï: "i",
  ô: "o",
  û: "u",
  ÿ: "y",
  ç: "c",
  œ: "oe",
  Œ: "OE",
  À: "A",
  Â: "A",
  È: "E",
  Ê: "E",
  Ë: "E",
  Î: "I",
  Ï: "I",
  Ô: "O",
  Ù: "U",
  Û: "U",
  "’": "'",
  "‘": "'",
  "«": '"',
  "»": '"',
  "“": '"',
  "”": '"',
  "–": "-",
  "—": "-",
  "…": "...",
  "\u00a0": " ",
  "\u202f": " ",
};

/** Replaces the French characters that GSM-7 lacks, so the SMS stays in the cheaper encoding. */
export function toGsm7(text: string): string {
  return [...text].map((c) => (gsmBasic.has(c) || gsmExtension.has(c) ? c : (replacements[c] ?? c))).join("");
}

export interface SmsSize {
  encoding: "GSM-7" | "UCS-2";
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  units: number;
  segments: number;
}

/** How many SMS a text takes: 160/153 septets in GSM-7, 70/67 characters otherwise. */
export function smsSize(text: string): SmsSize {
  const chars = [...text];
  if (chars.every((c) => gsmBasic.has(c) || gsmExtension.has(c))) {
    const units = chars.reduce((n, c) => n + (gsmExtension.has(c) ? 2 : 1), 0);
    return { encoding: "GSM-7", units, segments: units <= 160 ? 1 : Math.ceil(units / 153) };
  }
  const units = text.length;
  return { encoding: "UCS-2", units, segments: units <= 70 ? 1 : Math.ceil(units / 67) };
}

export const MAX_SMS_SEGMENTS = 2;

/** Sample values for previews; the server checks saved templates with the structure's real sites. */
export const samplePlaceholderValues: PlaceholderValues = {
  date: "mercredi 30 septembre 2026",
  heure: "14 h 15",
  lieu: "Fontainebleau",
  adresse: "1 rue de la Paroisse, 77300 Fontainebleau",
  telephone: "01 60 70 80 90",
  lien_preparation: "",
  a_apporter: "une pièce d'identité, même périmée",
};

/** An example stop link of the real length, for previews and size checks. */
export const sampleStopUrl = "https://passerelle.example.fr/stop/AbCdEfGhJkMn";

/**
 * "mardi 1er juin 2026" and "9 h 00", in Paris time: the app's date family (dateFormat.ts), with
 * plain spaces, which every SMS alphabet (GSM-7) has.
 */
export function appointmentWords(startsAt: Date): { date: string; heure: string } {
  return { date: withPlainSpaces(formatLongDate(startsAt)), heure: withPlainSpaces(formatTime(startsAt)) };
}

const revealing = /\b(SPIP|CPIP|probation|p[ée]nitentiaire|justice|judiciaire|d[ée]tention|prison)\b/gi;

/** Words that would tell whoever reads a (possibly shared) phone that the person is under supervision. */
export function revealingWords(text: string): string[] {
  return [...new Set([...text.matchAll(revealing)].map((m) => m[0]))];
}

/** What names the probation service itself (a street "du Palais de Justice" is just a street). */
const namingProbation = /\b(SPIP|CPIP|probation|p[ée]nitentiaires?)\b/i;

/**
 * A site's address as a person reads it (letter, SMS, e-mail; ADR 0028): without the parts that
 * name the probation service — "Antenne SPIP, 10 rue de la Paroisse, 77300 Fontainebleau" reads
 * "10 rue de la Paroisse, 77300 Fontainebleau".
 */
export function personFacingAddress(address: string): string {
  return address
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part && !namingProbation.test(part))
    .join(", ");
}

/** A site's name as a person reads it outside detention: "la permanence France services" when it names the SPIP. */
export function personFacingSiteName(name: string): string {
  return namingProbation.test(name) ? "Permanence France services" : name;
}
