import {
  BarController,
  BarElement,
  CategoryScale,
  Chart as ChartJs,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from "chart.js";
import { type ReactNode, useEffect, useRef } from "react";
import type { DashboardTable } from "../../../common/reporting/reporting.schema";

ChartJs.register(
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Legend,
  Tooltip,
);

/** DSFR illustrative colours: blue France, then contrasted hues. */
const colours = ["#000091", "#e1000f", "#18753c", "#b34000", "#6a6af4", "#a558a0"];

/**
 * A chart of a dashboard table (Chart.js). It is decorative for assistive technologies: the same
 * figures are in the table that follows it. A hidden count ("< 5") leaves a gap.
 */
export function TableChart({ table }: { table: DashboardTable }): ReactNode {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const countColumns = table.columns
      .map((c, index) => ({ ...c, index }))
      .filter((c) => c.kind === "count" || c.kind === "hours")
      .slice(0, 5);
    const chart = new ChartJs(canvas.current, {
      type: table.chart === "line" ? "line" : "bar",
      data: {
        labels: table.rows.map((r) => r.label),
        datasets: countColumns.map((c, k) => ({
          label: c.label,
          data: table.rows.map((r) => r.values[c.index] ?? null),
          backgroundColor: colours[k % colours.length],
          borderColor: colours[k % colours.length],
        })),
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        indexAxis: table.chart === "line" ? "x" : "y",
        scales: {
          x: { stacked: table.chart === "stacked", beginAtZero: true },
          y: { stacked: table.chart === "stacked", beginAtZero: true },
        },
        plugins: { legend: { display: countColumns.length > 1, position: "bottom" } },
      },
    });
    return () => chart.destroy();
  }, [table]);
  const height = table.chart === "line" ? 280 : Math.max(160, 40 + table.rows.length * 28);
  return (
    <div style={{ position: "relative", height }} aria-hidden="true">
      <canvas ref={canvas} />
    </div>
  );
}
