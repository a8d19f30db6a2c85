/**
 * The steering figures against a known ground truth, third load (outside review, 2026-12-07): what
 * happens after the fact. January–February 2027 of a structure of two sites, loaded through the HTTP
 * API by its real roles (the CPIP books, reschedules, excuses and cancels; the counselors record and
 * correct; the direction opens, closes and records an absence): a no-show corrected to honoured (the
 * person came late) and an honoured convocation corrected to a no-show, a rescheduled convocation (its
 * first slot must count neither as a convocation nor as a no-show), a person excused and a
 * cancellation by the service, a no-show corrected to excused, a visit of 26 January recorded on
 * 2 February, a démarche reoriented, a collective action's attendance (its convocations are
 * convocations like a permanence's, ADR 0031), a closure and an absence, and the retention purge
 * (archive, then erase) after which every figure of the period reads the same. Each expected figure
 * is counted by hand from the event list below.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Dashboard } from "../../common/reporting/reporting.schema";
import type { SectionFigures } from "../../common/reporting/sections.schema";
import { anAgent, aStructure } from "../testing/builders";
import { figuresOf, groundTruthDriver, tableOf, type Visit } from "../testing/groundTruthDriver";
import { expectFilesAgree, plain } from "../testing/reportingFiles";
import { startTestApp, type TestApp } from "../testing/testApp";

let t: TestApp;
type Who = "manager" | "steering" | "cpip" | "k1" | "k2";
const who = {} as Record<Who, string>;
const ids = {} as Record<string, string>;
let structureId: string;
const sites = {} as Record<"metz" | "thionville", string>;
const people = {} as Record<string, string>;
const api = groundTruthDriver(() => t);
const { call, post, newDemarche, dashboard } = api;

/** A Paris wall time as an instant: January and February are CET (+01:00). */
const paris = (day: string, time: string): Date => new Date(`${day}T${time}:00+01:00`);

/** Metz is k1's (Mondays), Thionville k2's (Tuesdays): each sets the statuses of their permanence. */
const booking = (person: string, site: keyof typeof sites, day: string, time: string) => ({
  personId: people[person]!,
  siteId: sites[site],
  at: paris(day, time),
  cpip: who.cpip,
  counselor: site === "metz" ? who.k1 : who.k2,
});
const convocation = (
  person: string,
  site: keyof typeof sites,
  day: string,
  time: string,
  status: "honoured" | "missed" | "excused" | "cancelled",
  visit?: Visit,
) => api.convocation(booking(person, site, day, time), status, visit);

beforeAll(async () => {
  t = await startTestApp();
  const db = t.handle.db;
  t.clock.set(paris("2026-12-28", "09:00"));
  const made = await aStructure(db, "France services de la Moselle");
  structureId = made.structure.id;
  await api.loadCatalogue();
  const agent = async (key: Who, roles: Parameters<typeof anAgent>[1]["roles"]) => {
    const a = await anAgent(db, {
      structureId,
      roles,
      email: `${key}@moselle.test`,
      serviceId: roles.includes("probation_officer") ? made.spipServiceId : null,
    });
    who[key] = a.email;
    ids[key] = a.id;
  };
  await agent("manager", ["service_manager"]);
  await agent("steering", ["steering"]);
  await agent("cpip", ["probation_officer"]);
  await agent("k1", ["counselor"]);
  await agent("k2", ["counselor"]);
  for (const [key, name] of [
    ["metz", "Metz"],
    ["thionville", "Thionville"],
  ] as const)
    sites[key] = await api.site(structureId, who.manager, {
      name,
      kind: "france_services",
      address: `3 rue Serpenoise, ${name}`,
    });
  for (const key of ["k1", "k2"] as const)
    await api.trained(structureId, ids[key]!, who.manager, "2026-11-02");
  for (const [site, weekday, from, to, k] of [
    ["metz", 1, "09:00", "12:00", "k1"],
    ["thionville", 2, "14:00", "17:00", "k2"],
  ] as const)
    await api.openingRule(structureId, who.manager, {
      siteId: sites[site],
      on: { weekday },
      from,
      to,
      slotMinutes: 30,
      validFrom: "2027-01-04",
      counselorIds: [ids[k]!],
    });
  // Thionville closed on Tuesday 16 February; k1, Metz's only counselor, away on Monday 15 February.
  await post(`/api/structures/${structureId}/closures`, who.manager, {
    siteId: sites.thionville,
    startsAt: paris("2027-02-16", "00:00").toISOString(),
    endsAt: paris("2027-02-17", "00:00").toISOString(),
    reason: "Travaux",
  });
  await post(`/api/structures/${structureId}/absences`, who.manager, {
    userId: ids.k1,
    startsAt: paris("2027-02-15", "00:00").toISOString(),
    endsAt: paris("2027-02-16", "00:00").toISOString(),
    reason: "Congés",
  });

  for (const [key, firstName] of [
    ["m1", "Aurélie"],
    ["m2", "Bastien"],
    ["m3", "Coralie"],
    ["m4", "Dylan"],
    ["m5", "Estelle"],
    ["m6", "Florian"],
  ] as const)
    people[key] = await api.person(
      {
        structureId,
        firstName,
        lastName: "Messin",
        birthDate: "1990-05-20",
        measure: { startDate: "2026-06-01", endDate: "2027-06-30" },
      },
      who.cpip,
    );

  // January.
  // Aurélie, marked absent at 09:10, came at 09:50: k1 corrects to honoured and records the visit.
  const late = await api.book(booking("m1", "metz", "2027-01-04", "09:00"));
  await api.setStatus(late, who.k1, "missed", paris("2027-01-04", "09:10"));
  await api.correct(late, who.k1, "honoured", paris("2027-01-04", "10:00"));
  await api.recordVisit(
    late,
    people.m1!,
    who.k1,
    {
      minutes: 30,
      autonomy: "guided",
      created: [newDemarche("caf-rsa", "guided", "in_progress")],
      needs: [{ domain: "logement-hebergement", hasNeed: true }],
    },
    paris("2027-01-04", "10:05"),
  );
  // Bastien marked honoured by mistake; k1 corrects to missed the next morning (no visit recorded).
  const wrong = await api.book(booking("m2", "metz", "2027-01-04", "09:30"));
  await api.setStatus(wrong, who.k1, "honoured", paris("2027-01-04", "09:40"));
  await api.correct(wrong, who.k1, "missed", paris("2027-01-05", "09:00"));
  // Coralie's Tuesday 5 January moved by her CPIP on the 4th to Tuesday 12 January, where she comes.
  const first = await api.book(booking("m3", "thionville", "2027-01-05", "14:00"));
  const moved = await api.reschedule(
    first,
    who.cpip,
    { siteId: sites.thionville, at: paris("2027-01-12", "14:00") },
    paris("2027-01-04", "11:00"),
  );
  await api.setStatus(moved, who.k2, "honoured", paris("2027-01-12", "14:10"));
  await api.recordVisit(
    moved,
    people.m3!,
    who.k2,
    { minutes: 45, autonomy: "autonomous", created: [newDemarche("cpam-css", "guided", "submitted")] },
    paris("2027-01-12", "14:15"),
  );
  // Dylan excused (a hospital appointment), then his next convocation cancelled by the service.
  await convocation("m4", "thionville", "2027-01-19", "14:00", "excused");
  await convocation("m4", "thionville", "2027-01-26", "14:00", "cancelled");
  // Estelle seen on Tuesday 26 January; k2 records the visit on Tuesday 2 February.
  const unrecorded = await api.book(booking("m5", "thionville", "2027-01-26", "15:00"));
  await api.setStatus(unrecorded, who.k2, "honoured", paris("2027-01-26", "15:10"));
  await api.recordVisit(
    unrecorded,
    people.m5!,
    who.k2,
    {
      minutes: 20,
      autonomy: "guided",
      created: [newDemarche("ants-cni-passeport", "guided", "in_progress")],
    },
    paris("2027-02-02", "09:00"),
  );

  // February.
  // Dylan marked absent on 1 February; his CPIP receives a medical certificate and corrects to excused.
  const certificate = await api.book(booking("m4", "metz", "2027-02-01", "09:00"));
  await api.setStatus(certificate, who.k1, "missed", paris("2027-02-01", "09:10"));
  await api.correct(certificate, who.cpip, "excused", paris("2027-02-02", "10:00"));
  // A collective workshop at Metz on Wednesday 17 February: Bastien and Florian convoked.
  t.clock.set(paris("2027-02-03", "10:00"));
  const workshop = (
    await post(`/api/structures/${structureId}/collective-actions`, who.manager, {
      kind: "atelier",
      title: "Atelier CV",
      day: "2027-02-17",
      startTime: "10:00",
      endTime: "12:00",
      siteId: sites.metz,
      capacity: 10,
      status: "planned",
    })
  ).id as string;
  const seats: Record<string, string> = {};
  for (const key of ["m2", "m6"])
    seats[key] = (
      await post(`/api/collective-actions/${workshop}/convocations`, who.cpip, {
        personId: people[key],
        notifySms: false,
        notifyEmail: false,
      })
    ).convocationId;
  // Aurélie's RSA reoriented, her carte Vitale done and granted at the visit.
  await convocation("m1", "metz", "2027-02-08", "09:00", "honoured", {
    minutes: 40,
    autonomy: "autonomous_with_help",
    created: [newDemarche("cpam-carte-vitale", "done_for", "granted")],
    updated: [{ code: "caf-rsa", status: "reoriented" }],
  });
  await convocation("m6", "thionville", "2027-02-09", "14:00", "missed");
  await api.setStatus(seats.m2!, who.k1, "honoured", paris("2027-02-17", "10:10"));
  await api.setStatus(seats.m6!, who.k1, "missed", paris("2027-02-17", "10:10"));
  t.clock.set(paris("2027-02-17", "14:00"));
  await call("PUT", `/api/collective-actions/${workshop}/outcomes`, who.k1, {
    outcomes: { participants: 1 },
  });
  await convocation("m3", "thionville", "2027-02-23", "14:00", "honoured", {
    minutes: 30,
    autonomy: "guided",
    updated: [{ code: "cpam-css", status: "granted" }],
  });
  // Today: Monday 8 March 2027.
  t.clock.set(paris("2027-03-08", "10:00"));
}, 300_000);
afterAll(() => t?.close());

const ALL = "from=2027-01&to=2027-02&structureId=@structure";
/** What the direction must read, counted by hand from the events above. */
const truth: Record<string, { query: string; figures: Record<string, number | null> }> = {
  whole: {
    query: ALL,
    figures: {
      accompanied: 3, // Aurélie, Coralie, Estelle
      newPeople: 3,
      returningPeople: 0,
      visits: 5,
      visitMinutes: 33, // (30 + 45 + 20 + 40 + 30) / 5
      // Honoured: Aurélie ×2, Coralie ×2, Estelle, Bastien at the workshop; missed: Bastien (corrected),
      // Florian ×2 (Thionville, the workshop). Coralie's first slot (moved), Dylan's three (excused,
      // cancelled, corrected to excused) are left out.
      noShowRate: 33.3, // 3 / 9
      demarches: 4, // RSA, CSS, CNI (dated at the visit of 26 January), carte Vitale
      demarchesPerPerson: 1.3,
      grantedShare: 66.7, // carte Vitale and CSS granted, RSA reoriented
      onSiteShare: 75,
      escalatedShare: 25, // the RSA, reoriented
      orientations: 0,
      answerDays: null,
      // Aurélie 4 January → 8 February: 35 days; Coralie 12 January (her first slot moved) → 23 February: 42.
      firstRightDays: 38.5,
      measuresEnding: 0,
      weeklyOpeningHours: 6,
      heldOpeningHours: 42, // January 12 + 12; February 9 (k1 away) + 9 (closed)
      trainedCounselors: 2,
    },
  },
  january: {
    query: "from=2027-01&to=2027-01&structureId=@structure",
    figures: {
      accompanied: 3,
      newPeople: 3,
      visits: 3,
      visitMinutes: 31.7, // 95 / 3
      noShowRate: 25, // Bastien / (Aurélie, Bastien, Coralie, Estelle)
      demarches: 3,
      grantedShare: null,
      escalatedShare: 33.3, // the RSA started in January, reoriented since
      firstRightDays: null,
      heldOpeningHours: 24,
    },
  },
  february: {
    query: "from=2027-02&to=2027-02&structureId=@structure",
    figures: {
      accompanied: 2,
      newPeople: 0,
      returningPeople: 2,
      visits: 2,
      noShowRate: 40, // Florian ×2 / (Aurélie, Coralie, Bastien at the workshop, Florian ×2)
      demarches: 1,
      grantedShare: 66.7,
      escalatedShare: 0,
      firstRightDays: 38.5,
      heldOpeningHours: 18,
    },
  },
  metz: {
    query: `${ALL}&siteId=@metz`,
    figures: {
      accompanied: 1,
      visits: 2,
      noShowRate: 40, // Bastien (corrected), Florian at the workshop / 5
      demarches: 2,
      grantedShare: 50,
      weeklyOpeningHours: 3,
    },
  },
  thionville: {
    query: `${ALL}&siteId=@thionville`,
    figures: { accompanied: 2, visits: 3, noShowRate: 25, demarches: 2, grantedShare: 100 },
  },
  k1: {
    query: `${ALL}&counselorId=@k1`,
    figures: { accompanied: 1, visits: 2, demarches: 2 },
  },
  k2: {
    query: `${ALL}&counselorId=@k2`,
    figures: { accompanied: 2, visits: 3, demarches: 2 },
  },
};
const resolve = (query: string) =>
  query.replace(/@(\w+)/g, (_, key: string) =>
    key === "structure" ? structureId : ((sites as Record<string, string>)[key] ?? ids[key]!),
  );
const pick = (shown: Record<string, number | null>, figures: Record<string, number | null>) =>
  Object.fromEntries(Object.keys(figures).map((k) => [k, shown[k]]));

describe("the direction reads the ground truth exactly", () => {
  it.each(Object.keys(truth))("%s", async (name) => {
    const { query, figures } = truth[name]!;
    expect(pick(figuresOf(await dashboard(who.manager, resolve(query))), figures)).toEqual(figures);
  });

  it("the tables of the whole period", async () => {
    const d = await dashboard(who.manager, resolve(ALL));
    // Convocations (neither cancelled nor excused), no-shows, visits, démarches started, rights granted.
    expect(tableOf(d, "trend")).toEqual({
      "janvier 2027": [4, 1, 3, 3, 0],
      "février 2027": [5, 2, 2, 1, 2],
    });
    // Planned by the rules, held (rules minus the closure and the absence), each site's held.
    expect(tableOf(d, "openingHoursHeld")).toEqual({
      "janvier 2027": [24, 24, 12, 12],
      "février 2027": [24, 18, 9, 9],
    });
  });

  it("the collective actions: one workshop, two people convoked, one present", async () => {
    const body: SectionFigures = (
      await call("GET", `/api/reporting/collective-actions?${resolve(ALL)}`, who.manager)
    ).json();
    const value = (key: string) => body.figures.find((f) => f.key === key)?.value;
    expect([
      value("actions"),
      value("kind_atelier"),
      value("peopleConvoked"),
      value("peoplePresent"),
    ]).toEqual([1, 1, 2, 1]);
  });
});

describe("every format shows what the dashboard shows", () => {
  for (const reader of ["manager", "steering"] as const)
    it.each(["whole", "january", "february", "metz", "k2"])(`${reader}: %s`, async (name) => {
      await expectFilesAgree(t, who[reader], resolve(truth[name]!.query));
    });
});

describe("the France services activity export", () => {
  it("the direction: one row per site, month, partner and help level, exactly", async () => {
    const csv = plain(
      (await call("GET", `/api/reporting/activity?${resolve(ALL)}&format=csv`, who.manager)).body,
    );
    const lines = csv
      .split("\r\n")
      .filter((l) => /;\p{L}+ 2027;/u.test(l) && !l.startsWith("France services"));
    // Estelle's CNI counts in January, the month of her visit, though recorded in February.
    expect(lines).toEqual([
      "Metz;janvier 2027;CAF (Caisse d'allocations familiales);Accompagnement (numérique);1",
      "Metz;février 2027;CPAM (Assurance maladie);Démarche faite avec ou pour la personne;1",
      "Thionville;janvier 2027;CPAM (Assurance maladie);Accompagnement (numérique);1",
      "Thionville;janvier 2027;Ministère de l'Intérieur (ANTS, préfecture);Accompagnement (numérique);1",
    ]);
  });
  it("steering: the same rows, each count of 1 read « < 5 » or perturbed to 5", async () => {
    const csv = plain(
      (await call("GET", `/api/reporting/activity?${resolve(ALL)}&format=csv`, who.steering)).body,
    );
    const rows = csv
      .split("\r\n")
      .filter((l) => /;\p{L}+ 2027;/u.test(l) && !l.startsWith("France services"))
      .map((l) => l.split(";"));
    for (const row of rows) expect(["< 5", "5"], row.join(";")).toContain(row[4]);
    // A row shown « 0 » would say a démarche is not there; a hidden row would hide that one is.
    expect(rows.map((r) => r.slice(0, 4).join(";"))).toEqual([
      "Metz;janvier 2027;CAF (Caisse d'allocations familiales);Accompagnement (numérique)",
      "Metz;février 2027;CPAM (Assurance maladie);Démarche faite avec ou pour la personne",
      "Thionville;janvier 2027;CPAM (Assurance maladie);Accompagnement (numérique)",
      "Thionville;janvier 2027;Ministère de l'Intérieur (ANTS, préfecture);Accompagnement (numérique)",
    ]);
  });
});

describe("steering reads protected figures within the distance ADR 0019 states", () => {
  it.each(Object.keys(truth))("%s", async (name) => {
    const { query, figures } = truth[name]!;
    const d = await dashboard(who.steering, resolve(query));
    expect(d.protectedCounts).toBe(true);
    const shown = figuresOf(d);
    for (const f of d.figures) {
      const exact = figures[f.id];
      if (exact === undefined) continue;
      const value = shown[f.id]!;
      if (f.id === "trainedCounselors") expect(value, f.id).toBe(exact);
      else if (exact === null) expect(value, f.id).toBeNull();
      else if (f.kind === "count") {
        if (exact === 0) expect(value, f.id).toBe(0);
        else if (value === null) expect(exact, f.id).toBeLessThanOrEqual(8);
        else expect(Math.abs(value - exact), `${f.id}: ${value} for ${exact}`).toBeLessThanOrEqual(4);
        // A count of 1 to 4 is never shown as itself: « < 5 » or perturbed to 5 or more.
        if (exact >= 1 && exact <= 4 && value !== null) expect(value, f.id).toBeGreaterThanOrEqual(5);
      } else if (f.kind === "hours" || f.kind === "minutes" || f.kind === "days")
        expect([exact, null], f.id).toContain(value);
    }
  });

  it("a count shown « < 5 » reads « < 5 » in the CSV and the report", async () => {
    const query = resolve(truth.whole!.query);
    const d = await dashboard(who.steering, query);
    const hidden = d.figures.filter((f) => f.kind === "count" && f.value === null);
    expect(hidden.length).toBeGreaterThan(0);
    await expectFilesAgree(t, who.steering, query);
  });

  it("the collective actions: within 4, never shown as 1 to 4", async () => {
    const body: SectionFigures = (
      await call("GET", `/api/reporting/collective-actions?${resolve(ALL)}`, who.steering)
    ).json();
    expect(body.protected).toBe(true);
    for (const [key, exact] of [
      ["actions", 1],
      ["peopleConvoked", 2],
      ["peoplePresent", 1],
    ] as const) {
      const value = body.figures.find((f) => f.key === key)?.value ?? null;
      if (value !== null) {
        expect(Math.abs(value - exact), key).toBeLessThanOrEqual(4);
        expect(value, key).toBeGreaterThanOrEqual(5);
      }
    }
  });
});

describe("a figure read, then corrected", () => {
  it("reads the correction at once, at every scope (no cached figure outlives it)", async () => {
    const march = "from=2027-03&to=2027-03&structureId=@structure";
    const scopes = [
      march,
      `${march}&siteId=@metz`,
      `${march}&counselorId=@k1`,
      ALL.replace("2027-02", "2027-03"),
    ];
    const read = async () =>
      Promise.all(scopes.map(async (q) => figuresOf(await dashboard(who.manager, resolve(q))).noShowRate));
    // Florian, convoked at Metz on Monday 8 March, marked absent at 09:10, arrives at 09:25.
    const id = await api.book(booking("m6", "metz", "2027-03-08", "09:00"));
    await api.setStatus(id, who.k1, "missed", paris("2027-03-08", "09:10"));
    // Convocations have no counselor: the counselor filter leaves them whole (and says so).
    expect(await read()).toEqual([100, 100, 100, 40]); // 4 / 10 over January–March
    await api.correct(id, who.k1, "honoured", paris("2027-03-08", "09:30"));
    expect(await read()).toEqual([0, 0, 0, 30]); // 3 / 10
    await api.correct(id, who.k1, "planned", paris("2027-03-08", "09:35"));
    expect(await read()).toEqual([null, null, null, 33.3]); // 3 / 9
    const byK1 = await dashboard(who.manager, resolve(scopes[2]!));
    expect(byK1.figures.find((f) => f.id === "noShowRate")!.filters).not.toContain("counselorId");
    t.clock.set(paris("2027-03-08", "10:00"));
  });
  it("a right granted is final: a change back is refused and moves no figure", async () => {
    const before = await dashboard(who.manager, resolve(ALL));
    const css = await api.demarcheIdOf(people.m3!, "cpam-css", who.k2);
    const answer = await t.app.inject({
      method: "POST",
      url: `/api/demarches/${css}`,
      headers: await t.sessionFor(who.k2),
      payload: { status: "in_progress" },
    });
    expect(answer.statusCode).toBe(409);
    expect((await dashboard(who.manager, resolve(ALL))).figures).toEqual(before.figures);
  });
});

describe("the retention purge", () => {
  it("archives then erases every file, and every figure of the period reads the same", async () => {
    const read = async (email: string): Promise<[Dashboard, string]> => [
      await dashboard(email, resolve(ALL)),
      plain(
        (await call("GET", `/api/reporting/export?${resolve(ALL)}&format=csv&table=all`, email)).body,
      ).replace(/^.*(Extrait|Édité|Exporté) le .*$/gm, ""),
    ];
    // Measures ended on 30 June 2027: archived twelve months later, erased six months after that.
    t.clock.set(paris("2028-08-01", "10:00"));
    const before = { manager: await read(who.manager), steering: await read(who.steering) };
    const run = async () =>
      (await post(`/api/structures/${structureId}/retention/run`, who.manager, { dryRun: false })).counts;
    expect((await run()).archived).toBe(6);
    t.clock.set(paris("2029-03-01", "10:00"));
    expect((await run()).erased).toBe(6);
    expect(await read(who.manager)).toEqual(before.manager);
    expect(await read(who.steering)).toEqual(before.steering);
    expect(pick(figuresOf(before.manager[0]), truth.whole!.figures)).toEqual(truth.whole!.figures);
    // Nobody reads an erased person.
    const file = await t.app.inject({
      method: "GET",
      url: `/api/people/${people.m1}`,
      headers: await t.sessionFor(who.manager),
    });
    expect(file.statusCode).toBe(404);
  }, 60_000);
});
