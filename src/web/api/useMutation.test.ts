import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { callKey, sendOnce } from "./useMutation";

/** A call that settles when told to. */
function held<T>() {
  let settle: (value: T) => void = () => undefined;
  let fail: (error: Error) => void = () => undefined;
  const promise = new Promise<T>((resolve, reject) => {
    settle = resolve;
    fail = reject;
  });
  return { promise, settle, fail };
}

describe("a mutation sends the same call once", () => {
  it("the same call made again before the first settles shares its outcome; after, it goes again", async () => {
    const inFlight = new Map<string, Promise<string>>();
    let sent = 0;
    const first = held<string>();
    const send = () => {
      sent += 1;
      return first.promise;
    };
    const a = sendOnce(inFlight, { id: "x", decision: "accept" }, send);
    const b = sendOnce(inFlight, { id: "x", decision: "accept" }, send);
    expect(sent).toBe(1);
    first.settle("ok");
    expect(await Promise.all([a, b])).toEqual(["ok", "ok"]);
    expect(inFlight.size).toBe(0);
    await sendOnce(inFlight, { id: "x", decision: "accept" }, () => {
      sent += 1;
      return Promise.resolve("again");
    });
    expect(sent).toBe(2);
  });

  it("other variables go at once; a failure is shared, then forgotten", async () => {
    const inFlight = new Map<string, Promise<string>>();
    let sent = 0;
    const call = held<string>();
    const send = () => {
      sent += 1;
      return call.promise;
    };
    const accept = sendOnce(inFlight, "accept", send);
    const refuse = sendOnce(inFlight, "refuse", send);
    const again = sendOnce(inFlight, "accept", send);
    expect(sent).toBe(2);
    call.fail(new Error("refusé"));
    await expect(accept).rejects.toThrow("refusé");
    await expect(again).rejects.toThrow("refusé");
    await expect(refuse).rejects.toThrow("refusé");
    expect(inFlight.size).toBe(0);
  });

  it("tells files apart by name, size and date (JSON would give {} for both)", () => {
    const a = new File(["un"], "a.pdf", { type: "application/pdf", lastModified: 1 });
    const b = new File(["deux"], "b.pdf", { type: "application/pdf", lastModified: 1 });
    expect(callKey(a)).not.toBe(callKey(b));
    expect(callKey({ file: a })).toBe(
      callKey({ file: new File(["un"], "a.pdf", { type: "application/pdf", lastModified: 1 }) }),
    );
    expect(callKey(undefined)).toBe(callKey(undefined));
    expect(callKey({ a: 1 })).not.toBe(callKey({ a: 2 }));
    // Something JSON cannot write (a cycle, as in a click event) is never taken for another call.
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(callKey(cycle)).not.toBe(callKey(cycle));
  });

  it("every page takes useMutation from here, not from the library", () => {
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        return statSync(path).isDirectory() ? files(path) : /\.tsx?$/.test(name) ? [path] : [];
      });
    const direct = files(join(__dirname, "..")).filter((path) =>
      /import \{[^}]*\buseMutation\b[^}]*\} from "@tanstack\/react-query"/.test(readFileSync(path, "utf8")),
    );
    expect(direct.map((path) => path.replace(/.*src\/web\//, ""))).toEqual(["api/useMutation.ts"]);
  });
});
