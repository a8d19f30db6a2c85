import sharp from "sharp";
import { errors } from "../../../common/errors";
import { fileKindOf, fileKindWords } from "../../core/fileKind";

/** The media types accepted, by extension: the bytes must say the same as the name. */
const ALLOWED: Record<string, readonly string[]> = {
  jpg: ["image/jpeg"],
  jpeg: ["image/jpeg"],
  png: ["image/png"],
  webp: ["image/webp"],
  heic: ["image/heic", "image/heif"],
  heif: ["image/heic", "image/heif"],
  pdf: ["application/pdf"],
};
/** The types a name's extension announces; none for an unknown one (never `Object`'s own keys). */
const allowedFor = (ext: string): readonly string[] | undefined =>
  Object.hasOwn(ALLOWED, ext) ? ALLOWED[ext] : undefined;
const IMAGE_TYPES = new Set(["image/jpeg", "image/png", "image/webp", "image/heic", "image/heif"]);

/** Photos are reduced to fit this many pixels on their longer side. */
export const MAX_IMAGE_SIDE = 2000;
/**
 * Larger images are refused before any decoding: 100 million pixels is more than any phone's
 * photo in its usual setting, while a few MB of PNG may claim 20000 × 20000 pixels.
 */
export const MAX_IMAGE_MEGAPIXELS = 100;
const MAX_IMAGE_PIXELS = MAX_IMAGE_MEGAPIXELS * 1_000_000;

export function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf(".");
  return dot < 0 ? "" : fileName.slice(dot + 1).toLowerCase();
}

/** The extension a file of this accepted type is renamed with. */
const RENAME_TO: Record<string, string> = {
  "image/jpeg": "jpg",
  "image/png": "png",
  "image/webp": "webp",
  "image/heic": "heic",
  "image/heif": "heif",
  "application/pdf": "pdf",
};

/**
 * What the bytes are (by content, `file-type`), refused when not an accepted type or when the name's
 * extension says something else. A file without extension is judged by its content alone. The
 * refusal names what the content is when it was recognised (« une image PNG »).
 */
export async function checkedMediaType(fileName: string, bytes: Uint8Array): Promise<string> {
  const detected = await fileKindOf(bytes);
  const mime = detected?.mime;
  const allowed = new Set(Object.values(ALLOWED).flat());
  const ext = extensionOf(fileName);
  if (!detected || !mime || !allowed.has(mime)) {
    // A known extension on other content is a mismatch; anything else is simply not accepted.
    const announced = allowedFor(ext)?.[0];
    if (announced && detected)
      throw errors.document.typeMismatch({
        contentWords: detected.words,
        ext,
        announced: fileKindWords(announced, ext),
      });
    throw errors.document.typeNotAllowed(detected?.words);
  }
  if (ext === "") return mime;
  if (!allowedFor(ext)?.includes(mime))
    throw errors.document.typeMismatch({
      contentWords: detected.words,
      ext,
      renameTo: RENAME_TO[mime] ?? ext,
    });
  return mime;
}

export function isImage(mediaType: string): boolean {
  return IMAGE_TYPES.has(mediaType);
}

/**
 * A photo as kept: turned upright from its EXIF orientation, reduced to MAX_IMAGE_SIDE, flattened
 * on white, re-encoded as JPEG with no metadata at all (no GPS position, no device, no date).
 */
export async function reducedImage(bytes: Uint8Array): Promise<Buffer> {
  await checkDimensions(bytes);
  try {
    return await sharp(bytes, { failOn: "error", limitInputPixels: MAX_IMAGE_PIXELS })
      .rotate()
      .resize({ width: MAX_IMAGE_SIDE, height: MAX_IMAGE_SIDE, fit: "inside", withoutEnlargement: true })
      .flatten({ background: "#ffffff" })
      .jpeg({ quality: 82, mozjpeg: true })
      .toBuffer();
  } catch {
    throw errors.document.unreadableImage();
  }
}

/**
 * Refuses an image whose header announces more than MAX_IMAGE_PIXELS, with its dimensions. Only the
 * header is read (no pixel is decoded); a header that cannot be read is left to the decoding.
 */
async function checkDimensions(bytes: Uint8Array): Promise<void> {
  let width: number | undefined;
  let height: number | undefined;
  try {
    ({ width, height } = await sharp(bytes, { limitInputPixels: false }).metadata());
  } catch {
    return;
  }
  if (width && height && width * height > MAX_IMAGE_PIXELS)
    throw errors.document.imageTooLarge(width, height, MAX_IMAGE_MEGAPIXELS);
}

/** A kept name's length at most, in characters (its extension included). */
export const MAX_KEPT_NAME = 180;

/**
 * The name shown and given at download: no folders, no control characters, the kept extension. A
 * long name is shortened in its stem, by whole characters (never half an emoji), so the extension
 * that opens the file stays.
 */
export function keptFileName(name: string, mediaType: string): string {
  const base = (name.split(/[\\/]/).pop() ?? "").replace(/[\p{Cc}\p{Cf}"]/gu, "").trim() || "document";
  const dot = base.lastIndexOf(".");
  const hasExtension = dot >= 0 && dot < base.length - 1;
  const stem = (hasExtension ? base.slice(0, dot) : base) || "document";
  const extension = hasExtension ? base.slice(dot) : "";
  const kept = mediaType === "image/jpeg" && !/^\.jpe?g$/i.test(extension) ? ".jpg" : extension;
  const room = Math.max(1, MAX_KEPT_NAME - [...kept].length);
  return `${[...stem].slice(0, room).join("").trimEnd()}${kept}`;
}

/** `Content-Disposition` for a download: an ASCII fallback and the UTF-8 name (RFC 6266). */
export function attachmentHeader(fileName: string): string {
  const ascii = fileName
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^\x20-\x7e]/g, "_")
    .replace(/["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/** The file as stored: photos reduced (always JPEG), PDFs as they came. */
export async function preparedFile(
  fileName: string,
  bytes: Uint8Array,
): Promise<{ bytes: Buffer; mediaType: string; fileName: string }> {
  const mediaType = await checkedMediaType(fileName, bytes);
  if (!isImage(mediaType))
    return { bytes: Buffer.from(bytes), mediaType, fileName: keptFileName(fileName, mediaType) };
  const reduced = await reducedImage(bytes);
  return { bytes: reduced, mediaType: "image/jpeg", fileName: keptFileName(fileName, "image/jpeg") };
}
