import { randomBytes } from "node:crypto";
import { crc32, deflateSync } from "node:zlib";
import sharp from "sharp";

/** One part of a hand-made form: a text field, or a file. */
export type FormPart =
  | { name: string; value: string }
  | { name: string; file: { name: string; bytes: Uint8Array; type?: string } };

/** A multipart/form-data body holding these parts in this order, a name as often as it is given. */
export function formOfParts(parts: readonly FormPart[]): {
  payload: Buffer;
  headers: { "content-type": string };
} {
  const boundary = `----passerelle${randomBytes(8).toString("hex")}`;
  const chunks: Buffer[] = parts.flatMap((part) =>
    "value" in part
      ? [
          Buffer.from(
            `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"\r\n\r\n${part.value}\r\n`,
          ),
        ]
      : [
          Buffer.from(
            `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"; filename="${part.file.name}"\r\nContent-Type: ${part.file.type ?? "application/octet-stream"}\r\n\r\n`,
          ),
          Buffer.from(part.file.bytes),
          Buffer.from("\r\n"),
        ],
  );
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
  };
}

/** A multipart/form-data body: the fields first, then one file under "file", as a browser sends it. */
export function documentForm(
  fields: Record<string, string>,
  file: { name: string; bytes: Uint8Array; type?: string } | null,
): { payload: Buffer; headers: { "content-type": string } } {
  const parts: FormPart[] = Object.entries(fields).map(([name, value]) => ({ name, value }));
  return formOfParts(file ? [...parts, { name: "file", file }] : parts);
}

/** A PDF of about `size` bytes (a real header and trailer, padded with a comment stream). */
export function aPdf(size = 2048): Buffer {
  const head = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n";
  const tail = "trailer\n<< /Root 1 0 R >>\n%%EOF\n";
  const padding = Math.max(0, size - head.length - tail.length);
  return Buffer.concat([Buffer.from(head), Buffer.alloc(padding, "%"), Buffer.from(tail)]);
}

/** The GPS IFD pointer tag (0x8825) in either byte order: present when an EXIF block holds a position. */
export function hasGpsTag(exif: Buffer | undefined): boolean {
  if (!exif) return false;
  return exif.includes(Buffer.from([0x88, 0x25])) || exif.includes(Buffer.from([0x25, 0x88]));
}

/**
 * A phone photo: `width` × `height` pixels with noise (so it weighs what a photo weighs), shot
 * rotated (EXIF orientation 6), with a GPS position and the device in its EXIF.
 */
export async function aPhoto(width = 3000, height = 1600, quality = 90): Promise<Buffer> {
  const noise = randomBytes(width * height * 3);
  return sharp(noise, { raw: { width, height, channels: 3 } })
    .withExif({
      IFD0: { Make: "Téléphone", Model: "Modèle de test" },
      IFD3: {
        GPSLatitudeRef: "N",
        GPSLatitude: "48/1 24/1 30/1",
        GPSLongitudeRef: "E",
        GPSLongitude: "2/1 42/1 0/1",
      },
    })
    .withMetadata({ orientation: 6 })
    .jpeg({ quality })
    .toBuffer();
}

/**
 * A PNG whose header announces `width` × `height` grey pixels, with only its first rows of pixel
 * data: what a decompression bomb shows before it is decoded (file-type and the header say PNG).
 */
export function aHugePng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth; colour type 0 (grey), compression, filter and interlace 0
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const rows = deflateSync(Buffer.alloc(4 * (width + 1)));
  return Buffer.concat([
    signature,
    chunk("IHDR", header),
    chunk("IDAT", rows),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** A small real PNG (a white square): what `file-type` and sharp both read as PNG. */
export async function aPng(side = 16): Promise<Buffer> {
  return sharp({ create: { width: side, height: side, channels: 3, background: "#ffffff" } })
    .png()
    .toBuffer();
}
