import { afterEach, describe, expect, it, vi } from "vitest";
import { authRoutes } from "../../common/auth/auth.routes";
import { errors } from "../../common/errors";
import { peopleRoutes } from "../../common/people/people.routes";
import { problemsFromApi } from "../components/form/fieldErrors";
import { ApiError, call, downloadFile, fileNameOf, onSessionExpired, UNAVAILABLE_MESSAGE } from "./client";

const UNAVAILABLE = errors.service.unavailable().message;

afterEach(() => {
  vi.unstubAllGlobals();
});

/** What a reverse proxy answers for an instance that died or does not answer: its own HTML page. */
const proxyPage = (status: number) =>
  new Response(`<html><body><h1>${status} Bad Gateway</h1><hr>nginx</body></html>`, {
    status,
    headers: { "content-type": "text/html" },
  });

async function failureOf(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

/**
 * Fault review (2026-12-03): an instance killed (SIGKILL) while a booking was in flight left the
 * browser with no answer at all; the form said « Le serveur ne répond pas. Réessayez plus tard. »
 * while the other instance took the retry at once. A request without an answer, or answered by a
 * proxy's own error page, is the same situation as the server's 503: say so in its words.
 */
describe("a request that gets no answer from Passerelle", () => {
  it("says the catalogue's own words for an unavailable service", () => {
    expect(UNAVAILABLE_MESSAGE).toBe(UNAVAILABLE);
  });

  it("a network failure (instance killed, connection reset) reads as the service unavailable", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(() => Promise.reject(new TypeError("Failed to fetch"))),
    );
    const error = await failureOf(call(peopleRoutes.create, { body: {} }));
    expect({ status: error.status, code: error.body.code, message: error.message }).toEqual({
      status: 503,
      code: "service.unavailable",
      message: UNAVAILABLE,
    });
    expect(problemsFromApi(error, []).general).toEqual([UNAVAILABLE]);
  });

  it("a proxy's 502 or 504 page reads as the service unavailable; a 500 of Passerelle keeps its message", async () => {
    for (const status of [502, 503, 504]) {
      vi.stubGlobal(
        "fetch",
        vi.fn(() => Promise.resolve(proxyPage(status))),
      );
      const error = await failureOf(call(authRoutes.session));
      expect({ status: error.status, code: error.body.code, message: error.message }).toEqual({
        status,
        code: "service.unavailable",
        message: UNAVAILABLE,
      });
    }
    vi.stubGlobal(
      "fetch",
      vi.fn(() =>
        Promise.resolve(
          Response.json(
            { code: "request.internal", message: "Une erreur inattendue est survenue.", requestId: "r-1" },
            { status: 500 },
          ),
        ),
      ),
    );
    const internal = await failureOf(call(authRoutes.session));
    expect({
      code: internal.body.code,
      message: internal.message,
      requestId: internal.body.requestId,
    }).toEqual({
      code: "request.internal",
      message: "Une erreur inattendue est survenue.",
      requestId: "r-1",
    });
  });

  it("a download that gets no answer says the same", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(() => Promise.reject(new TypeError("Failed to fetch"))),
    );
    const error = await failureOf(downloadFile("/api/reporting/report.pdf", "rapport.pdf"));
    expect({ status: error.status, code: error.body.code, message: error.message }).toEqual({
      status: 503,
      code: "service.unavailable",
      message: UNAVAILABLE,
    });
  });
});

describe("a stale CSRF token", () => {
  it("whose session read says signed out ({ authenticated: false }) is refused as a 401 that opens the expiry", async () => {
    const answers = [
      Response.json({ code: "request.csrf", message: "Jeton de sécurité périmé." }, { status: 403 }),
      Response.json({ authenticated: false }),
    ];
    const fetchMock = vi.fn(() => Promise.resolve(answers.shift() ?? proxyPage(502)));
    vi.stubGlobal("fetch", fetchMock);
    const told = vi.fn();
    const stop = onSessionExpired(told);
    const error = await failureOf(
      call(authRoutes.changePassword, { body: { currentPassword: "ancien", newPassword: "nouveau" } }),
    );
    stop();
    expect({ status: error.status, code: error.body.code }).toEqual({
      status: 401,
      code: "auth.unauthenticated",
    });
    expect(told).toHaveBeenCalledTimes(1);
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });
});

describe("the name a downloaded file is saved under", () => {
  it("is the server's UTF-8 name (accents kept), else its plain name, else the page's", () => {
    // The documents' downloads go through `downloadFile` since the fault review of 2026-12-07: an
    // accented name was saved under its ASCII fallback.
    const header = `attachment; filename="Releve_de_situation.pdf"; filename*=UTF-8''${encodeURIComponent("Relevé de situation.pdf")}`;
    expect(fileNameOf(header, "document")).toBe("Relevé de situation.pdf");
    expect(fileNameOf('attachment; filename="rapport.pdf"', "document")).toBe("rapport.pdf");
    expect(fileNameOf("attachment; filename*=UTF-8''%E0%A4%A", "document")).toBe("document");
    expect(fileNameOf(null, "document")).toBe("document");
  });
});
