import { describe, expect, it } from "vitest";
import { ApiError } from "../api/client";
import { isForbidden } from "./forbidden";
import { documentTitle } from "./pageTitle";

describe("documentTitle", () => {
  it("puts the page's own name first, then the service", () => {
    expect(documentTitle("Dossier de BENALI Karim")).toBe("Dossier de BENALI Karim — Passerelle");
    expect(documentTitle("  Accès refusé ")).toBe("Accès refusé — Passerelle");
  });

  it("is the service's name alone when the page has none", () => {
    expect(documentTitle("")).toBe("Passerelle");
    expect(documentTitle(null)).toBe("Passerelle");
  });
});

describe("isForbidden", () => {
  const error = (status: number, code: string) => new ApiError(status, { code, message: "…" });

  it("takes a read refused for the agent's role as the 403 page", () => {
    expect(isForbidden(error(403, "access.forbidden"))).toBe(true);
  });

  it("leaves other refusals to the page (CSRF, second factor, not found)", () => {
    expect(isForbidden(error(403, "request.csrf"))).toBe(false);
    expect(isForbidden(error(403, "auth.secondFactorRequired"))).toBe(false);
    expect(isForbidden(error(404, "access.forbidden"))).toBe(false);
    expect(isForbidden(new Error("réseau"))).toBe(false);
  });
});
