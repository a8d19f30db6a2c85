/** A chart waiting to be drawn. */
export interface QueuedChart {
  /** It came near the viewport: drawn in its turn. */
  show(): void;
  /** Its table changed or left the page: never drawn. */
  cancel(): void;
}

export interface DrawQueue {
  /** A chart to draw, parked until `show`. */
  add(draw: () => void): QueuedChart;
  /** Draws now every chart not drawn yet, shown or not (before printing). */
  drawAll(): void;
}

/**
 * The dashboard's charts, drawn one per task (`later` runs a callback in a task of its own), and
 * only once they come near the viewport: a dozen charts drawn in one go held the main thread for
 * seconds on a slow machine, and the page answered nothing meanwhile.
 */
export function createDrawQueue(later: (run: () => void) => void): DrawQueue {
  type Job = { draw: () => void };
  const parked = new Set<Job>();
  const due: Job[] = [];
  let scheduled = false;
  const forget = (job: Job): void => {
    parked.delete(job);
    const at = due.indexOf(job);
    if (at >= 0) due.splice(at, 1);
  };
  const schedule = (): void => {
    if (scheduled || due.length === 0) return;
    scheduled = true;
    later(() => {
      scheduled = false;
      const job = due.shift();
      job?.draw();
      schedule();
    });
  };
  return {
    add(draw) {
      const job = { draw };
      parked.add(job);
      return {
        show() {
          if (!parked.delete(job)) return;
          due.push(job);
          schedule();
        },
        cancel: () => forget(job),
      };
    },
    drawAll() {
      for (const job of [...due, ...parked]) {
        forget(job);
        job.draw();
      }
    },
  };
}
