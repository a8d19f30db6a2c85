/** The text of a PDF written by pdfkit (standard fonts, Flate streams): enough for tests to read figures. */
import { inflateSync } from "node:zlib";

/** pdfkit's standard fonts use WinAnsi: its 0x80–0x9F are not Latin-1's control characters. */
const winAnsi: Record<string, string> = {
  "\x80": "€",
  "\x85": "…",
  "\x8c": "Œ",
  "\x92": "’",
  "\x96": "–",
  "\x97": "—",
  "\x9c": "œ",
};

export function pdfText(pdf: Buffer): string {
  const raw = pdf.toString("latin1");
  const parts: string[] = [];
  for (const match of raw.matchAll(/stream\r?\n/g)) {
    const start = (match.index ?? 0) + match[0].length;
    const end = raw.indexOf("endstream", start);
    let content: string;
    try {
      content = inflateSync(pdf.subarray(start, end)).toString("latin1");
    } catch {
      continue;
    }
    for (const array of content.matchAll(/\[([^\]]*)\]\s*TJ/g))
      parts.push(
        [...(array[1] ?? "").matchAll(/<([0-9a-fA-F]*)>/g)]
          .map((hex) =>
            Buffer.from(hex[1] ?? "", "hex")
              .toString("latin1")
              .replace(/[\x80-\x9f]/g, (c) => winAnsi[c] ?? c),
          )
          .join(""),
      );
  }
  return parts.join("\n");
}
