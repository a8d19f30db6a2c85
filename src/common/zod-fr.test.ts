import { describe, expect, it } from "vitest";
import { z } from "zod";
import "./zod-fr";

const messagesOf = (schema: z.ZodType, value: unknown): string[] =>
  schema.safeParse(value).error?.issues.map((issue) => issue.message) ?? [];

describe("plain French messages", () => {
  it("says an integer beyond the safe range is too big or too small in words, as any bound", () => {
    const page = z.coerce.number().int();
    expect(messagesOf(page, "99999999999999999999")).toEqual([
      `Saisissez un nombre inférieur ou égal à ${Number.MAX_SAFE_INTEGER.toLocaleString("fr-FR")}.`,
    ]);
    expect(messagesOf(page, "-99999999999999999999")).toEqual([
      `Saisissez un nombre supérieur ou égal à ${Number.MIN_SAFE_INTEGER.toLocaleString("fr-FR")}.`,
    ]);
  });
});
