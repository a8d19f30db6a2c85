import { type DocumentKind, documentKindLabels } from "../../../common/documents/documents.schema";

/** Who a document was shared with, as the journal says it. */
export const shareTargetWords: Record<"orientation" | "structure" | "outside", string> = {
  orientation: "partagé avec le destinataire d'une orientation",
  structure: "partagé avec une autre structure",
  outside: "partagé hors de Passerelle",
};

/** A document as the journal names it: its kind in French, never its id. */
export const documentWords = (kind: string): string => documentKindLabels[kind as DocumentKind] ?? kind;
