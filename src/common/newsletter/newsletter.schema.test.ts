import { describe, expect, it } from "vitest";
import { blockSchema } from "./newsletter.schema";

describe("key figures block", () => {
  it("refuses a quarter it cannot read with a message whose example it accepts", () => {
    const refused = blockSchema.safeParse({ type: "key_figures", quarter: "premier trimestre" });
    expect(refused.success).toBe(false);
    const message = refused.error?.issues[0]?.message ?? "";
    const example = /par exemple (\S+)/.exec(message)?.[1] ?? "";
    expect(example).not.toBe("");
    expect(blockSchema.safeParse({ type: "key_figures", quarter: example }).success).toBe(true);
  });
});
