import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { auditActionLabels, auditOutcomeLabels } from "../../../common/audit/audit.labels";
import { addressReader } from "../../components/useAddressFilters";
import type { AuditFilterValues } from "./AuditFilters";
import { auditAddressOf, auditFiltersFrom } from "./auditAddress";

const AGENT = "7d8f4a52-3c1b-4e6a-9f0d-2b5c8e1a4f70";
const PERSON = "0c9e2b7a-5d41-4f38-8a6e-1f2d3c4b5a69";
const offered = { agents: [AGENT], people: [PERSON] };
const none: AuditFilterValues = { personId: "", actorUserId: "", action: "", outcome: "", from: "", to: "" };

/** The filters a page shows after writing `filters` to an empty address and reading it back. */
function roundTrip(filters: AuditFilterValues, search = "benali") {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(auditAddressOf(filters, search)))
    if (value) params.set(key, value);
  return { params, read: auditFiltersFrom(addressReader(params), offered) };
}

describe("the journal's filters in its address", () => {
  it("writes each filter under its French name, the person's search only with a person", () => {
    const { params } = roundTrip({
      personId: PERSON,
      actorUserId: AGENT,
      action: "person.read",
      outcome: "denied",
      from: "2026-11-01",
      to: "2026-11-30",
    });
    expect(params.toString()).toBe(
      `recherche=benali&personne=${PERSON}&agent=${AGENT}&action=person.read&resultat=denied&du=2026-11-01&au=2026-11-30`,
    );
    expect(roundTrip({ ...none, action: "auth.login" }).params.toString()).toBe("action=auth.login");
    expect(auditAddressOf(none, "benali")).toEqual({
      recherche: "",
      personne: "",
      agent: "",
      action: "",
      resultat: "",
      du: "",
      au: "",
    });
  });

  it("reads as 'all' what the page does not offer: an unknown agent, person, action, outcome, a wrong day", () => {
    const read = (query: string) => auditFiltersFrom(addressReader(new URLSearchParams(query)), offered);
    expect(
      read("personne=someone&agent=11111111-1111-4111-8111-111111111111&action=drop.table&resultat=maybe"),
    ).toEqual(none);
    expect(read("du=2026-02-30&au=hier")).toEqual(none);
    // Before the agents have come, an agent named by the address is not offered yet.
    expect(
      auditFiltersFrom(addressReader(new URLSearchParams(`agent=${AGENT}`)), { agents: [], people: [] }),
    ).toEqual(none);
  });

  it("drops a period's end that comes before its start (the server refuses it)", () => {
    const read = (query: string) => auditFiltersFrom(addressReader(new URLSearchParams(query)), offered);
    expect(read("du=2026-11-30&au=2026-11-01")).toEqual({ ...none, from: "2026-11-30" });
    expect(read("du=2026-11-01&au=2026-11-01")).toEqual({ ...none, from: "2026-11-01", to: "2026-11-01" });
    expect(read("au=2026-11-01")).toEqual({ ...none, to: "2026-11-01" });
  });

  const day = fc
    .date({ min: new Date("1900-01-01"), max: new Date("2199-12-31"), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10));
  const offeredFilters = fc.record({
    personId: fc.constantFrom("", PERSON),
    actorUserId: fc.constantFrom("", AGENT),
    action: fc.constantFrom("", ...Object.keys(auditActionLabels)),
    outcome: fc.constantFrom(
      "" as const,
      ...(Object.keys(auditOutcomeLabels) as AuditFilterValues["outcome"][]),
    ),
    from: fc.oneof(fc.constant(""), day),
    to: fc.oneof(fc.constant(""), day),
  });

  it("gives back any filters the form can apply (a period in order)", () => {
    fc.assert(
      fc.property(offeredFilters, (filters) => {
        fc.pre(!filters.from || !filters.to || filters.from <= filters.to);
        expect(roundTrip(filters).read).toEqual(filters);
      }),
    );
  });

  it("reads any address as filters the page offers, with a period in order", () => {
    const anyValue = fc.oneof(fc.string(), fc.constantFrom(AGENT, PERSON, "person.read", "success"), day);
    const names = ["recherche", "personne", "agent", "action", "resultat", "du", "au"];
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...names), anyValue), (query) => {
        const read = auditFiltersFrom(addressReader(new URLSearchParams(query)), offered);
        expect(["", PERSON]).toContain(read.personId);
        expect(["", AGENT]).toContain(read.actorUserId);
        expect(["", ...Object.keys(auditActionLabels)]).toContain(read.action);
        expect(["", ...Object.keys(auditOutcomeLabels)]).toContain(read.outcome);
        for (const d of [read.from, read.to]) expect(d === "" || /^\d{4}-\d{2}-\d{2}$/.test(d)).toBe(true);
        expect(!read.from || !read.to || read.from <= read.to).toBe(true);
      }),
    );
  });
});
