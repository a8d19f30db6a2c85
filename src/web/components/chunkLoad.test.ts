import { describe, expect, it } from "vitest";
import { isChunkLoadError } from "./chunkLoad";

describe("isChunkLoadError", () => {
  it("knows the browsers' messages for a page's code that could not be downloaded", () => {
    for (const message of [
      "Failed to fetch dynamically imported module: http://localhost:3000/assets/PeoplePage-AbCd1234.js",
      "error loading dynamically imported module: http://localhost:3000/assets/x.js",
      "Importing a module script failed.",
      "Unable to preload CSS for /assets/steering-AbCd1234.css",
    ])
      expect(isChunkLoadError(new TypeError(message))).toBe(true);
  });

  it("leaves other errors to the generic page", () => {
    expect(isChunkLoadError(new Error("Cannot read properties of undefined"))).toBe(false);
    expect(isChunkLoadError("dynamically imported module")).toBe(false);
  });
});
