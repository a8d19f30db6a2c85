import { afterEach, describe, expect, it } from "vitest";
import { holidayName, publicHolidays } from "./holidays";

const zone = process.env.TZ;
afterEach(() => {
  if (zone === undefined) delete process.env.TZ;
  else process.env.TZ = zone;
});

describe("public holidays", () => {
  it("are the same days whatever the clock's time zone (a browser in Paris, a server in UTC)", () => {
    for (const tz of ["UTC", "Europe/Paris", "America/Cayenne", "Pacific/Noumea"]) {
      process.env.TZ = tz;
      const days = publicHolidays([2027], "77");
      expect(days.has("2027-05-06"), tz).toBe(true); // Ascension
      expect(days.has("2027-03-29"), tz).toBe(true); // Easter Monday
      expect(days.has("2027-12-25"), tz).toBe(true);
      expect(days.has("2027-12-24"), tz).toBe(false);
      expect(holidayName("2027-05-17", "77"), tz).toBe("Lundi de Pentecôte");
    }
  });
  it("add Vendredi saint and Saint-Étienne in Alsace-Moselle", () => {
    expect(holidayName("2027-12-26", "67")).toBe("Saint Étienne");
    expect(holidayName("2027-12-26", "77")).toBeNull();
    expect(publicHolidays([2027], "57").has("2027-03-26")).toBe(true);
  });
});
