import {
  BarController,
  BarElement,
  CategoryScale,
  type ChartDataset,
  Chart as ChartJs,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  type Plugin,
  PointElement,
  type ScriptableContext,
  Tooltip,
} from "chart.js";
import { chartColumns } from "../../../common/reporting/chartColumns";
import {
  chartColour,
  type DashboardTable,
  formatValue,
  type ValueKind,
} from "../../../common/reporting/reporting.schema";
import { type BarPiece, countsOnly, hiddenLabelPlaces, legendLabel, wrappedLabel } from "./chartLabel";

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

/** Where a hidden count (1 to 4) is drawn: halfway, as a hatched bar or a hollow point labelled "< 5". */
const HIDDEN_AT = 2.5;
const HIDDEN_LABEL = formatValue(null, "count");

/** Diagonal stripes of `colour` on white: a hidden count's bar. */
function hatch(colour: string): CanvasPattern | string {
  const tile = document.createElement("canvas");
  tile.width = 8;
  tile.height = 8;
  const g = tile.getContext("2d");
  if (!g) return colour;
  g.fillStyle = "#ffffff";
  g.fillRect(0, 0, 8, 8);
  g.strokeStyle = colour;
  g.lineWidth = 2;
  g.beginPath();
  g.moveTo(0, 8);
  g.lineTo(8, 0);
  g.moveTo(-2, 2);
  g.lineTo(2, -2);
  g.moveTo(6, 10);
  g.lineTo(10, 6);
  g.stroke();
  return g.createPattern(tile, "repeat") ?? colour;
}

/**
 * Writes "< 5" on the hidden counts (the chart's own labels would say 2.5): above a line's hollow
 * point; on a bar, inside its hatched piece or just after the bar's end, only where it has room
 * (`hiddenLabelPlaces`): adjacent hidden pieces of a stacked bar, or a thin one, otherwise wrote
 * over each other and over the next colour. Every figure stays in the tooltip and the table.
 */
const hiddenLabels: Plugin = {
  id: "hiddenLabels",
  afterDatasetsDraw(chart) {
    const { ctx } = chart;
    ctx.save();
    ctx.font = "bold 11px Marianne, arial, sans-serif";
    ctx.fillStyle = "#161616";
    ctx.textBaseline = "middle";
    const masked = (d: number): boolean[] | undefined =>
      chart.isDatasetVisible(d) ? (chart.data.datasets[d] as { masked?: boolean[] }).masked : undefined;
    if (chart.options.indexAxis !== "y") {
      ctx.textAlign = "center";
      chart.data.datasets.forEach((_, d) => {
        chart.getDatasetMeta(d).data.forEach((element, i) => {
          if (!masked(d)?.[i]) return;
          const { x, y } = element.getProps(["x", "y"], true) as { x: number; y: number };
          ctx.fillText(HIDDEN_LABEL, x, y - 12);
        });
      });
      ctx.restore();
      return;
    }
    ctx.textAlign = "left";
    const textWidth = ctx.measureText(HIDDEN_LABEL).width;
    const stacked = (chart.options.scales?.x as { stacked?: boolean } | undefined)?.stacked === true;
    // The bars, each as its pieces left to right: a row's datasets stacked, or each dataset's own bar.
    const bars: { y: number; thickness: number; piece: BarPiece }[][] = [];
    chart.data.datasets.forEach((_, d) => {
      const hidden = masked(d);
      if (!hidden) return;
      chart.getDatasetMeta(d).data.forEach((element, i) => {
        const { x, y, base, height } = element.getProps(["x", "y", "base", "height"], true) as Record<
          string,
          number
        >;
        const piece = { start: base ?? 0, end: x ?? 0, hidden: hidden[i] ?? false };
        const key = stacked ? i : bars.length;
        bars[key] ??= [];
        bars[key].push({ y: y ?? 0, thickness: height ?? 0, piece });
      });
    });
    for (const bar of bars) {
      const places = hiddenLabelPlaces(
        bar.map((b) => b.piece),
        textWidth,
        chart.width,
        Math.min(...bar.map((b) => b.thickness)),
      );
      bar.forEach(({ y }, n) => {
        const place = places[n];
        if (!place) return;
        if (place.inside) {
          ctx.fillStyle = "#ffffff";
          ctx.fillRect(place.x - 2, y - 7, textWidth + 4, 14);
          ctx.fillStyle = "#161616";
        }
        ctx.fillText(HIDDEN_LABEL, place.x, y);
      });
    }
    ctx.restore();
  },
};

/**
 * Draws a dashboard table's chart (Chart.js) on `canvas`; returns what removes it. A hidden count
 * (1 to 4) is a hatched bar, or a hollow point on a dashed line, labelled "< 5" — and "< 5" in the
 * table.
 */
export function drawChart(canvas: HTMLCanvasElement, table: DashboardTable): () => void {
  const line = table.chart === "line";
  const countColumns = chartColumns(table).drawn.map((index) => ({ ...table.columns[index]!, index }));
  const datasets = countColumns.map((c) => {
    const colour = chartColour(c.index);
    const hidden = table.rows.map((r) => r.values[c.index] === null);
    const pattern = hatch(colour);
    const at = (ctx: ScriptableContext<"bar" | "line">) => hidden[ctx.dataIndex] ?? false;
    return {
      label: c.label,
      data: table.rows.map((r, i) => (hidden[i] ? HIDDEN_AT : (r.values[c.index] ?? 0))),
      masked: hidden,
      kind: c.kind,
      backgroundColor: line ? colour : (ctx: ScriptableContext<"bar">) => (at(ctx) ? pattern : colour),
      borderColor: colour,
      borderWidth: line ? 2 : (ctx: ScriptableContext<"bar">) => (at(ctx) ? 1 : 0),
      pointBackgroundColor: (ctx: ScriptableContext<"line">) => (at(ctx) ? "#ffffff" : colour),
      pointRadius: (ctx: ScriptableContext<"line">) => (at(ctx) ? 5 : 3),
      segment: {
        borderDash: (ctx: { p0DataIndex: number; p1DataIndex: number }) =>
          hidden[ctx.p0DataIndex] || hidden[ctx.p1DataIndex] ? [4, 4] : undefined,
      },
    };
  });
  const chart = new ChartJs(canvas, {
    type: line ? "line" : "bar",
    data: {
      labels: table.rows.map((r) => r.label),
      datasets: datasets as unknown as ChartDataset<"bar" | "line">[],
    },
    plugins: [hiddenLabels],
    options: {
      // Axis ticks written the French way ("1 300"), whatever the browser's language.
      locale: "fr-FR",
      animation: false,
      maintainAspectRatio: false,
      indexAxis: line ? "x" : "y",
      scales: {
        // People and démarches are whole: no « 0,5 » tick on a count's axis (a month with one visit).
        x: {
          stacked: table.chart === "stacked",
          beginAtZero: true,
          ticks: !line && countsOnly(table) ? { precision: 0 } : {},
        },
        y: {
          stacked: table.chart === "stacked",
          beginAtZero: true,
          ticks: line
            ? countsOnly(table)
              ? { precision: 0 }
              : {}
            : {
                autoSkip: false,
                callback(value) {
                  return wrappedLabel(this.getLabelForValue(Number(value)), this.chart.width);
                },
              },
        },
      },
      plugins: {
        legend: {
          display: countColumns.length > 1,
          position: "bottom",
          // A legend's item is one line: cut to the chart's width on a phone (the tooltip and the
          // table's header keep the whole label).
          labels: {
            generateLabels: (drawn) =>
              ChartJs.defaults.plugins.legend.labels
                .generateLabels(drawn)
                .map((item) => ({ ...item, text: legendLabel(item.text, drawn.width) })),
          },
        },
        tooltip: {
          callbacks: {
            label: (item) => {
              const { masked, kind } = item.dataset as { masked?: boolean[]; kind?: ValueKind };
              const shown = formatValue(Number(item.raw), kind ?? "count");
              return `${item.dataset.label} : ${masked?.[item.dataIndex] ? HIDDEN_LABEL : shown}`;
            },
          },
        },
      },
    },
  });
  return () => chart.destroy();
}
