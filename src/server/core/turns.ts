import { performance } from "node:perf_hooks";
import { setImmediate as nextTurn } from "node:timers/promises";

/** How long a long task keeps the event loop before other requests get their turn. */
export const TURN_MS = 20;

/**
 * Long work (reading an imported file, checking its rows) done in slices, so other requests are
 * answered meanwhile: `due()` is cheap enough to call for every cell (the clock is read once every
 * 32 calls) and tells when the slice is used up; `pass()` lets the event loop run (timers, sockets,
 * other requests) before going on. Awaiting a promise is not enough: a resolved promise (PGlite
 * answers that way, in this process) goes on before any socket is read.
 */
export class Turns {
  private last = performance.now();
  private calls = 0;

  constructor(private readonly sliceMs = TURN_MS) {}

  due(): boolean {
    if ((++this.calls & 31) !== 0) return false;
    return performance.now() - this.last >= this.sliceMs;
  }

  async pass(): Promise<void> {
    await nextTurn();
    this.last = performance.now();
  }

  /** `pass()` when the slice is used up: for loops whose steps are not tiny (a row, a query). */
  async breathe(): Promise<void> {
    if (performance.now() - this.last >= this.sliceMs) await this.pass();
  }
}
