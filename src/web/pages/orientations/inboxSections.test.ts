import { describe, expect, it } from "vitest";
import { orientationStatusSchema } from "../../../common/orientations/orientations.schema";
import { isOpen } from "./inboxSections";

describe("the receiving side's inbox sections", () => {
  it("keeps sent and accepted orientations open (to answer, to close with the outcome), the rest closed", () => {
    const open = orientationStatusSchema.options.filter((status) => isOpen({ status }));
    expect(open.sort()).toEqual(["accepted", "sent"]);
  });
});
