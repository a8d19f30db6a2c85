import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { AppErrorBody } from "../../common/errors";
import { ApiError } from "./client";
import { isRetriedWithOtherValues, newRecordId, renewAfterRetriedWithOtherValues } from "./requestId";

describe("newRecordId", () => {
  it("gives version-4 UUIDs the API accepts, a new one each time", () => {
    const ids = Array.from({ length: 200 }, newRecordId);
    for (const id of ids) expect(z.string().uuid().safeParse(id).success, id).toBe(true);
    expect(ids.every((id) => id[14] === "4" && "89ab".includes(id[19] ?? ""))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe("isRetriedWithOtherValues", () => {
  it("recognises the 409 of a creation sent again with other values, nothing else", () => {
    const apiError = (code: string) => new ApiError(409, { code, message: "m" } as AppErrorBody);
    expect(isRetriedWithOtherValues(apiError("accompaniment.retriedWithOtherValues"))).toBe(true);
    expect(isRetriedWithOtherValues(apiError("orientation.retriedWithOtherValues"))).toBe(true);
    expect(isRetriedWithOtherValues(apiError("convocation.alreadyBooked"))).toBe(false);
    expect(isRetriedWithOtherValues(new Error("réseau"))).toBe(false);
    expect(isRetriedWithOtherValues(null)).toBe(false);
  });
});

describe("renewAfterRetriedWithOtherValues", () => {
  it("after a retry with other values, a new id and the lists reloaded; after any other failure, the id kept", async () => {
    const steps: string[] = [];
    const renew = () => steps.push("renew");
    const reload = async () => steps.push("reload");
    const retried = new ApiError(409, {
      code: "funding.retriedWithOtherValues",
      message: "m",
    } as AppErrorBody);
    expect(await renewAfterRetriedWithOtherValues(retried, renew, reload)).toBe(true);
    expect(steps).toEqual(["renew", "reload"]);
    for (const other of [
      new ApiError(503, { code: "service.unavailable", message: "m" }),
      new Error("réseau"),
    ])
      expect(await renewAfterRetriedWithOtherValues(other, renew, reload)).toBe(false);
    expect(steps).toEqual(["renew", "reload"]);
  });
});
