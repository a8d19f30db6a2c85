import { describe, expect, it } from "vitest";
import { formatNumber } from "./numberFormat";
import { formatValue } from "./reporting/reporting.schema";

describe("formatNumber", () => {
  it("writes numbers the French way: narrow no-break space between thousands, decimal comma", () => {
    expect(formatNumber(1300)).toBe("1\u202f300");
    expect(formatNumber(1_234_567.25)).toBe("1\u202f234\u202f567,3");
    expect(formatNumber(12.5)).toBe("12,5");
    expect(formatNumber(999)).toBe("999");
  });

  it("is what the dashboard writes for every kind, hours included (« 1 300 h », not « 1300 h »)", () => {
    expect(formatValue(1300, "count")).toBe("1\u202f300");
    expect(formatValue(1300, "hours")).toBe("1\u202f300\u00a0h");
    expect(formatValue(1300.5, "hours")).toBe("1\u202f300\u00a0h\u00a030");
    expect(formatValue(2400.25, "decimal")).toBe("2\u202f400,3");
  });
});
