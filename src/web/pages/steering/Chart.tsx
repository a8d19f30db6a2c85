import { type ReactNode, useEffect, useRef } from "react";
import type { DashboardTable } from "../../../common/reporting/reporting.schema";
import { chartHeight } from "./chartLabel";
import { createDrawQueue } from "./drawQueue";

type ChartDrawing = typeof import("./chartDrawing");
let drawing: Promise<ChartDrawing> | null = null;

/**
 * The chart library, in a chunk of its own: the page asks for it as it opens (`useSteeringReads`),
 * so it downloads while the figures are computed rather than before the page can ask for them.
 */
export function loadChartDrawing(): Promise<ChartDrawing> {
  drawing ??= import("./chartDrawing").catch((error: unknown) => {
    drawing = null;
    throw error;
  });
  return drawing;
}

const charts = createDrawQueue((run) => setTimeout(run, 0));
if (typeof window !== "undefined") window.addEventListener("beforeprint", () => charts.drawAll());

/** How far ahead of the viewport a chart is drawn: one screen, so scrolling rarely meets a blank one. */
const AHEAD = "100% 0px";

/**
 * A chart of a dashboard table (Chart.js), drawn once it comes near the viewport, one chart per task
 * (`drawQueue.ts`). It is decorative for assistive technologies: the same figures are in the table
 * that follows it. Its height is set before it is drawn: nothing moves when it appears.
 */
export function TableChart({ table }: { table: DashboardTable }): ReactNode {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const element = canvas.current;
    if (!element) return;
    let left = false;
    let queued: { cancel(): void } | undefined;
    let destroy: (() => void) | undefined;
    let observer: IntersectionObserver | undefined;
    loadChartDrawing().then(
      ({ drawChart }) => {
        if (left) return;
        const chart = charts.add(() => {
          destroy = drawChart(element, table);
        });
        queued = chart;
        observer = new IntersectionObserver(
          (entries) => {
            if (!entries.some((entry) => entry.isIntersecting)) return;
            observer?.disconnect();
            chart.show();
          },
          { rootMargin: AHEAD },
        );
        observer.observe(element);
      },
      // The chunk could not be downloaded: the table below says the same figures.
      () => undefined,
    );
    return () => {
      left = true;
      observer?.disconnect();
      queued?.cancel();
      destroy?.();
    };
  }, [table]);
  return (
    <div style={{ position: "relative", height: chartHeight(table) }} aria-hidden="true">
      <canvas ref={canvas} />
    </div>
  );
}
