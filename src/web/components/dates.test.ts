import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatShortDate, parisDayOf } from "./dates";

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return sources(file);
    return /\.tsx?$/.test(name) && !name.endsWith(".test.ts") ? [file] : [];
  });
}

describe("Paris days on screen", () => {
  it("an instant shortly after midnight in Paris reads as that Paris day, not the UTC one", () => {
    // 00:30 in Paris on 7 December is still 6 December in UTC.
    expect(formatShortDate("2026-12-06T23:30:00.000Z")).toBe("07/12/2026");
    expect(parisDayOf("2026-12-06T23:30:00.000Z")).toBe("2026-12-07");
    // Cutting the ISO string gives the UTC day: the bug this guards against.
    expect(formatShortDate("2026-12-06T23:30:00.000Z".slice(0, 10))).toBe("06/12/2026");
  });

  it("no page takes the day of an instant by cutting its ISO string (the UTC day)", () => {
    const offenders = sources(path.join(__dirname, ".."))
      .filter((file) => /(At|toISOString\(\))\.slice\(0, ?10\)/.test(readFileSync(file, "utf8")))
      .map((file) => path.relative(path.join(__dirname, ".."), file));
    expect(offenders).toEqual([]);
  });
});
