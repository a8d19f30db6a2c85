import { describe, expect, it } from "vitest";
import { z } from "zod";
import { newRecordId } from "./requestId";

describe("newRecordId", () => {
  it("gives version-4 UUIDs the API accepts, a new one each time", () => {
    const ids = Array.from({ length: 200 }, newRecordId);
    for (const id of ids) expect(z.string().uuid().safeParse(id).success, id).toBe(true);
    expect(ids.every((id) => id[14] === "4" && "89ab".includes(id[19] ?? ""))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
