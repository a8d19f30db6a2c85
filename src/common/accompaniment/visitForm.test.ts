import { describe, expect, it } from "vitest";
import "../zod-fr";
import { parisDay } from "../calendar";
import { recordVisitBodySchema, recordVisitFormSchema } from "./accompaniment.schema";

/** A visit recorded with one new démarche due on `dueDate`. */
const visit = (dueDate: string) => ({
  durationMinutes: 45,
  autonomy: "guided",
  created: [
    {
      demarcheTypeId: "6f1c9a52-8d3e-4b7a-9c21-0e5d4f3a2b10",
      helpLevel: "guided",
      status: "in_progress",
      dueDate,
    },
  ],
});

const daysFromToday = (days: number): string => parisDay(new Date(Date.now() + days * 24 * 60 * 60 * 1000));

describe("the visit form's check", () => {
  it("refuses a new démarche due yesterday under its field, as the server would", () => {
    const yesterday = daysFromToday(-1);
    // The route's schema only bounds the range: the server's clock refuses the past day.
    expect(recordVisitBodySchema.safeParse(visit(yesterday)).success).toBe(true);
    const checked = recordVisitFormSchema.safeParse(visit(yesterday));
    expect(checked.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      [
        "created.0.dueDate",
        expect.stringMatching(/^Date déjà passée : choisissez une date à partir d'aujourd'hui/),
      ],
    ]);
  });

  it("takes a new démarche due today or later", () => {
    expect(recordVisitFormSchema.safeParse(visit(daysFromToday(0))).success).toBe(true);
    expect(recordVisitFormSchema.safeParse(visit(daysFromToday(30))).success).toBe(true);
  });
});
