import { fileTypeFromBuffer } from "file-type";

/** What a file's bytes are (read by `file-type`), and how a French message names it. */
export interface FileKind {
  mime: string;
  ext: string;
  /** "une image PNG", "un PDF", "un classeur Excel (XLSX)"… — to follow « Le contenu de ce fichier est ». */
  words: string;
}

const WORDS: Record<string, string> = {
  "image/png": "une image PNG",
  "image/jpeg": "une photo JPEG",
  "image/gif": "une image GIF",
  "image/webp": "une image WebP",
  "image/heic": "une photo HEIC",
  "image/heif": "une photo HEIF",
  "image/avif": "une image AVIF",
  "image/tiff": "une image TIFF",
  "image/bmp": "une image BMP",
  "application/pdf": "un PDF",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "un classeur Excel (XLSX)",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "un document Word (DOCX)",
  "application/vnd.openxmlformats-officedocument.presentationml.presentation":
    "une présentation PowerPoint (PPTX)",
  "application/vnd.oasis.opendocument.spreadsheet": "un classeur OpenDocument (ODS)",
  "application/vnd.oasis.opendocument.text": "un document OpenDocument (ODT)",
  "application/vnd.oasis.opendocument.presentation": "une présentation OpenDocument (ODP)",
  "application/x-cfb": "un fichier Office à l'ancien format (XLS, DOC ou PPT)",
  "application/rtf": "un document RTF",
  "application/zip": "une archive ZIP",
  "application/x-rar-compressed": "une archive RAR",
  "application/x-7z-compressed": "une archive 7z",
  "application/gzip": "une archive GZIP",
  "application/x-msdownload": "un programme Windows (EXE)",
  "application/x-elf": "un programme (ELF)",
};

/** How a message names content of this type: the table above, else by family and extension. */
export function fileKindWords(mime: string, ext: string): string {
  const known = WORDS[mime];
  if (known) return known;
  const upper = ext.toUpperCase();
  if (mime.startsWith("image/")) return `une image ${upper}`;
  if (mime.startsWith("audio/")) return `un fichier audio ${upper}`;
  if (mime.startsWith("video/")) return `une vidéo ${upper}`;
  return `un fichier ${upper}`;
}

/** What the bytes are, or null when `file-type` does not know them (text, CSV, unknown binary). */
export async function fileKindOf(bytes: Uint8Array): Promise<FileKind | null> {
  const detected = await fileTypeFromBuffer(bytes);
  if (!detected) return null;
  return { mime: detected.mime, ext: detected.ext, words: fileKindWords(detected.mime, detected.ext) };
}
