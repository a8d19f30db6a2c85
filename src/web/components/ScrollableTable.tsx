import { Table, type TableProps } from "@codegouvfr/react-dsfr/Table";
import type { ReactNode } from "react";

export type ScrollableTableProps = TableProps & {
  /** Names the scrollable region for screen readers; defaults to the caption when it is text. */
  label?: string;
};

/**
 * A DSFR table that scrolls sideways inside its own region on a narrow screen (the page itself never
 * scrolls sideways). The region is focusable, so a keyboard user can scroll it with the arrow keys,
 * and named, so a screen reader says what it holds.
 */
export function ScrollableTable({ label, ...table }: ScrollableTableProps): ReactNode {
  const name = label ?? (typeof table.caption === "string" ? table.caption : undefined);
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (WCAG 2.1.1).
    <section className="pa-table-scroll" aria-label={name} tabIndex={0}>
      <Table {...table} noScroll />
    </section>
  );
}
