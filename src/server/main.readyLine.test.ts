import { describe, expect, it } from "vitest";
import { readyLine } from "./main";

describe("the start line", () => {
  it("names the public address, and where this instance listens when that is another port", () => {
    expect(readyLine("http://localhost:3000", "http://127.0.0.1:3000", "PGlite, ./data")).toBe(
      "Passerelle est prête sur http://localhost:3000 (base PGlite, ./data)",
    );
    expect(readyLine("https://passerelle.example.fr", "http://127.0.0.1:3191", "PostgreSQL")).toBe(
      "Passerelle est prête sur https://passerelle.example.fr (base PostgreSQL, écoute sur http://127.0.0.1:3191)",
    );
    expect(readyLine("http://localhost:3190", "http://127.0.0.1:3191", "PostgreSQL")).toContain(
      "écoute sur http://127.0.0.1:3191",
    );
    expect(readyLine("http://passerelle.intranet", "http://0.0.0.0:80", "PostgreSQL")).not.toContain(
      "écoute",
    );
  });
});
