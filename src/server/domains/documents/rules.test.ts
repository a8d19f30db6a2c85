import fc from "fast-check";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import type { AppError } from "../../../common/errors";
import { aPdf } from "../../testing/documentFiles";
import { attachmentHeader, checkedMediaType, keptFileName, MAX_KEPT_NAME } from "./rules";

const png = () =>
  sharp({ create: { width: 4, height: 4, channels: 3, background: "#fff" } })
    .png()
    .toBuffer();
const webp = () =>
  sharp({ create: { width: 4, height: 4, channels: 3, background: "#fff" } })
    .webp()
    .toBuffer();
const jpeg = () =>
  sharp({ create: { width: 4, height: 4, channels: 3, background: "#fff" } })
    .jpeg()
    .toBuffer();

async function codeOf(name: string, bytes: Uint8Array): Promise<string> {
  try {
    return await checkedMediaType(name, bytes);
  } catch (error) {
    return (error as AppError).code;
  }
}

describe("the type is read from the bytes and must match the extension", () => {
  it("accepts JPEG, PNG, WebP and PDF under their extensions (any case), and without extension", async () => {
    expect(await codeOf("scan.PDF", aPdf())).toBe("application/pdf");
    expect(await codeOf("photo.JPG", await jpeg())).toBe("image/jpeg");
    expect(await codeOf("photo.jpeg", await jpeg())).toBe("image/jpeg");
    expect(await codeOf("capture.png", await png())).toBe("image/png");
    expect(await codeOf("image.webp", await webp())).toBe("image/webp");
    expect(await codeOf("blob", await png())).toBe("image/png");
  });

  it("refuses every mismatch between an accepted extension and other accepted content", async () => {
    const samples: Record<string, Buffer> = {
      pdf: aPdf(),
      jpg: await jpeg(),
      png: await png(),
      webp: await webp(),
    };
    const same = (a: string, b: string) => a === b || (a === "jpeg" && b === "jpg");
    for (const ext of ["pdf", "jpg", "jpeg", "png", "webp", "heic"])
      for (const [kind, bytes] of Object.entries(samples)) {
        const expected = same(ext, kind) ? expect.stringMatching(/\//) : "document.typeMismatch";
        expect(await codeOf(`fichier.${ext}`, bytes), `${kind} as .${ext}`).toEqual(expected);
      }
  });

  it("reads an extension named like an object's own key (.constructor, .__proto__) as any unknown one", async () => {
    const zip = Buffer.from([0x50, 0x4b, 0x03, 0x04, ...new Array(60).fill(0)]);
    for (const ext of ["constructor", "__proto__", "toString", "hasOwnProperty"]) {
      expect(await codeOf(`scan.${ext}`, aPdf()), ext).toBe("document.typeMismatch");
      expect(await codeOf(`archive.${ext}`, zip), ext).toBe("document.typeNotAllowed");
    }
  });

  it("refuses what is not a photo or a PDF, whatever its name", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 0, maxLength: 64 }),
        fc.constantFrom("a.txt", "a.docx", "a", "a.exe"),
        async (bytes, name) => {
          // Random bytes starting with none of the accepted signatures.
          const head = Buffer.from(bytes.subarray(0, 4)).toString("latin1");
          fc.pre(!head.startsWith("%PDF") && bytes[0] !== 0xff && bytes[0] !== 0x89 && head !== "RIFF");
          expect(await codeOf(name, bytes)).toMatch(/^document\.(typeNotAllowed|typeMismatch)$/);
        },
      ),
      { numRuns: 200 },
    );
  });
});

/** Half an emoji (a UTF-16 surrogate without its pair): stored as « � ». */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe("file names given back", () => {
  it("Content-Disposition is always an attachment with an ASCII fallback and the exact UTF-8 name", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (raw) => {
        const name = keptFileName(raw, "application/pdf");
        expect(name).not.toMatch(/[\\/"\p{Cc}]/u);
        expect(name.length).toBeGreaterThan(0);
        const header = attachmentHeader(name);
        expect(header).toMatch(/^attachment; filename="[\x20-\x7e]*"; filename\*=UTF-8''/);
        expect(header.split('"').length).toBe(3);
        expect(decodeURIComponent(header.slice(header.indexOf("UTF-8''") + 7))).toBe(name);
      }),
    );
  });

  it("a reduced photo keeps its name with a JPEG extension", () => {
    expect(keptFileName("C:\\Users\\moi\\IMG_0042.HEIC", "image/jpeg")).toBe("IMG_0042.jpg");
    expect(keptFileName("capture.png", "image/jpeg")).toBe("capture.jpg");
    expect(keptFileName("photo.JPEG", "image/jpeg")).toBe("photo.JPEG");
    expect(keptFileName("Pièce d'identité.pdf", "application/pdf")).toBe("Pièce d'identité.pdf");
  });

  it("a long name is shortened in its stem, by whole characters: the extension stays", () => {
    const long = keptFileName(`${"a".repeat(250)}.pdf`, "application/pdf");
    expect(long).toBe(`${"a".repeat(MAX_KEPT_NAME - 4)}.pdf`);
    const emoji = keptFileName(`${"a".repeat(MAX_KEPT_NAME - 5)}😀😀😀.pdf`, "application/pdf");
    expect(emoji).toBe(`${"a".repeat(MAX_KEPT_NAME - 5)}😀.pdf`);
    expect(emoji).not.toMatch(LONE_SURROGATE);
    expect(keptFileName(`${"é".repeat(300)}.heic`, "image/jpeg")).toBe(
      `${"é".repeat(MAX_KEPT_NAME - 4)}.jpg`,
    );
    expect(keptFileName(".pdf", "application/pdf")).toBe("document.pdf");
    expect(keptFileName(".jpg", "image/jpeg")).toBe("document.jpg");
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 400 }), (stem) => {
        const name = keptFileName(`${stem}.pdf`, "application/pdf");
        expect([...name].length).toBeLessThanOrEqual(MAX_KEPT_NAME);
        expect(name.endsWith(".pdf")).toBe(true);
        expect(name).not.toMatch(LONE_SURROGATE);
      }),
    );
  });
});
