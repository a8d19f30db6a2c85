import { and, eq } from "drizzle-orm";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatValue } from "../../common/reporting/reporting.schema";
import type { SectionFigures } from "../../common/reporting/sections.schema";
import {
  collectiveAction,
  collectiveActionInvitation,
  convocation,
  demarche,
  demarcheType,
  directoryEntry,
  funding,
  handoverMeeting,
  membership,
  person,
  service,
  site,
  transfer,
  visit,
} from "../db/schema";
import { actionDefinitions } from "../domains/actions/use-cases/Figures";
import { milieuFermeDefinitions } from "../domains/detention/figures";
import { transferDefinitions } from "../domains/handover/use-cases/TransferFigures";
import { recordKey } from "../domains/reporting/cellKey";
import { count, present } from "../domains/reporting/rules";
import { anAgent, aPerson, aStructure } from "../testing/builders";
import { pdfText } from "../testing/pdfText";
import { demo, startTestApp, type TestApp } from "../testing/testApp";

/**
 * Milieu fermé, transfers and collective actions in every format (issues 14 and 15): a known set of
 * releases, transfers and actions, written directly, gives the direction its exact figures on the
 * routes, in the committee report (body and annex) and in the CSV/XLSX exports; steering reads the
 * cell-key protected ones (ADR 0019) everywhere; with several structures, every one is counted.
 */
let t: TestApp;
let other: string;
const period = "from=2026-03&to=2026-05";
/** The ids behind each count, to compute what steering must read. */
const ids = {
  released: [] as string[],
  outOfDemo: [] as string[],
  intoDemo: [] as string[],
  interviews: [] as string[],
};

const at = (iso: string): Date => new Date(iso);

beforeAll(async () => {
  t = await startTestApp();
  const db = t.handle.db;
  // A second structure: the demo direction and the demo steering user read it too.
  other = (await aStructure(db, "France services de la Meuse")).structure.id;
  for (const [email, role] of [
    [demo.manager, "service_manager"],
    [demo.steering, "steering"],
  ] as const)
    await db.insert(membership).values({
      userId: await t.userId(email),
      structureId: other,
      role,
      acceptedAt: at("2020-01-01T00:00:00Z"),
    });
  const cpip = await t.userId(demo.cpip);
  const counselor = await t.userId(demo.counselor);
  const [spip] = await db
    .select()
    .from(service)
    .where(and(eq(service.structureId, t.demoStructureId), eq(service.kind, "spip")));
  const people = [];
  for (let i = 0; i < 7; i += 1)
    people.push(
      await aPerson(db, {
        structureId: t.demoStructureId,
        referentUserId: cpip,
        referentServiceId: spip!.id,
      }),
    );
  const otherCpip = await anAgent(db, { structureId: other, roles: ["probation_officer"] });
  const [otherSpip] = await db.select().from(service).where(eq(service.structureId, other));
  const theirs = [];
  for (let i = 0; i < 3; i += 1)
    theirs.push(
      await aPerson(db, {
        structureId: other,
        referentUserId: otherCpip.id,
        referentServiceId: otherSpip!.id,
      }),
    );
  const [meaux] = await db.select().from(site).where(eq(site.name, "Meaux"));
  const types = Object.fromEntries(
    (await db.select().from(demarcheType)).map((type) => [type.code, type.id] as const),
  );

  // Six people of the demo structure released in April 2026, one in June (outside), one elsewhere.
  for (const [i, p] of people.slice(0, 6).entries()) {
    await db
      .update(person)
      .set({ releasedOn: `2026-04-1${i}` })
      .where(eq(person.id, p.id));
    ids.released.push(p.id);
  }
  await db.update(person).set({ releasedOn: "2026-06-02" }).where(eq(person.id, people[6]!.id));
  await db.update(person).set({ releasedOn: "2026-04-12" }).where(eq(person.id, theirs[0]!.id));

  const aDemarche = async (personId: string, code: string, createdAt: string, grantedAt?: string) => {
    const [row] = await db
      .insert(demarche)
      .values({
        structureId: t.demoStructureId,
        personId,
        demarcheTypeId: types[code]!,
        helpLevel: "guided",
        status: grantedAt ? "granted" : "in_progress",
        createdBy: counselor,
        createdAt: at(createdAt),
      })
      .returning();
    if (grantedAt)
      await db
        .update(demarche)
        .set({ outcomeAt: at(grantedAt) })
        .where(eq(demarche.id, row!.id));
  };
  // Two démarches each before release (12); an identity card granted before release for three of
  // them, after it for a fourth; health cover for one; a démarche after release is not counted.
  for (const [i, p] of people.slice(0, 6).entries()) {
    await aDemarche(
      p.id,
      "ants-cni-passeport",
      "2026-03-20T09:00:00Z",
      i < 3 ? "2026-04-01T09:00:00Z" : i === 3 ? "2026-04-30T09:00:00Z" : undefined,
    );
    await aDemarche(
      p.id,
      i === 0 ? "cpam-css" : "caf-rsa",
      "2026-03-21T09:00:00Z",
      i === 0 ? "2026-04-02T09:00:00Z" : undefined,
    );
  }
  await aDemarche(people[0]!.id, "ft-inscription", "2026-04-25T09:00:00Z");

  const aVisit = async (personId: string, startedAt: string) => {
    const startsAt = at(startedAt);
    const [c] = await db
      .insert(convocation)
      .values({
        structureId: t.demoStructureId,
        siteId: meaux!.id,
        personId,
        startsAt,
        endsAt: new Date(startsAt.getTime() + 45 * 60_000),
        seat: 1,
        status: "honoured",
        notifySms: false,
        notifyEmail: false,
        bookedBy: cpip,
      })
      .returning();
    await db.insert(visit).values({
      structureId: t.demoStructureId,
      personId,
      convocationId: c!.id,
      siteId: meaux!.id,
      counselorUserId: counselor,
      startedAt: startsAt,
      durationMinutes: 40,
      autonomy: "guided",
    });
  };
  // Met before release: five of them. First visit outside 5, 10 and 20 days after release: median 10.
  for (const [i, p] of people.slice(0, 5).entries()) await aVisit(p.id, `2026-03-2${i}T09:00:00Z`);
  await aVisit(people[0]!.id, "2026-04-15T09:00:00Z");
  await aVisit(people[1]!.id, "2026-04-21T09:00:00Z");
  await aVisit(people[2]!.id, "2026-05-02T09:00:00Z");

  // Transfers proposed in April: five out of the demo structure, two into it, one out in June.
  const aTransfer = async (
    personId: string,
    from: string,
    to: string,
    status: string,
    proposedAt: string,
  ) => {
    const [row] = await db
      .insert(transfer)
      .values({
        personId,
        fromStructureId: from,
        toStructureId: to,
        proposedBy: cpip,
        proposedAt: at(proposedAt),
        reason: "Déménagement",
        consentGiven: true,
        status,
      })
      .returning();
    return row!.id;
  };
  for (const [i, status] of ["accepted", "accepted", "accepted", "refused", "proposed"].entries())
    ids.outOfDemo.push(
      await aTransfer(people[i]!.id, t.demoStructureId, other, status, `2026-04-0${i + 1}T09:00:00Z`),
    );
  for (const [i, status] of ["accepted", "cancelled"].entries())
    ids.intoDemo.push(
      await aTransfer(theirs[i + 1]!.id, other, t.demoStructureId, status, `2026-04-1${i}T09:00:00Z`),
    );
  await aTransfer(people[5]!.id, t.demoStructureId, other, "proposed", "2026-06-15T09:00:00Z");

  // Handovers held: two in the demo structure (the person present at one, absent at the other), one
  // in the other (person present); a planned one is not counted.
  const aMeeting = async (
    structureId: string,
    personId: string,
    status: string,
    heldAt: string | null,
    personPresent: boolean | null = null,
  ) =>
    db.insert(handoverMeeting).values({
      structureId,
      personId,
      targetStructureId: structureId,
      startsAt: at("2026-04-05T08:00:00Z"),
      durationMinutes: 60,
      releaseDate: "2026-04-10",
      status,
      icsUid: `sections-${personId}-${status}@passerelle`,
      createdBy: cpip,
      heldAt: heldAt ? at(heldAt) : null,
      personPresent,
    });
  await aMeeting(t.demoStructureId, people[0]!.id, "held", "2026-04-05T09:00:00Z", true);
  await aMeeting(t.demoStructureId, people[1]!.id, "held", "2026-04-06T09:00:00Z", false);
  await aMeeting(t.demoStructureId, people[2]!.id, "planned", null);
  await aMeeting(other, theirs[0]!.id, "held", "2026-04-07T09:00:00Z", true);

  // Collective actions: two forums and an atelier in the demo structure, a cancelled forum; an
  // atelier in the other structure.
  const anAction = async (
    structureId: string,
    kind: string,
    day: string,
    status: string,
    outcomes: Record<string, number> = {},
  ) => {
    const [row] = await db
      .insert(collectiveAction)
      .values({
        structureId,
        kind,
        title: `${kind} ${day}`,
        startsAt: at(`${day}T09:00:00Z`),
        endsAt: at(`${day}T11:00:00Z`),
        status,
        outcomes,
      })
      .returning();
    return row!.id;
  };
  const forums = [
    await anAction(t.demoStructureId, "forum_emploi", "2026-04-08", "held", {
      interviews: 6,
      hires: 1,
      iaeOrientations: 3,
    }),
    await anAction(t.demoStructureId, "forum_emploi", "2026-04-22", "held", {
      interviews: 8,
      hires: 2,
      iaeOrientations: 5,
    }),
  ];
  ids.interviews.push(...forums);
  await anAction(t.demoStructureId, "atelier", "2026-05-05", "planned");
  await anAction(t.demoStructureId, "forum_emploi", "2026-04-29", "cancelled", { interviews: 100 });
  await anAction(other, "atelier", "2026-04-10", "held");
  for (let i = 0; i < 6; i += 1)
    await db.insert(collectiveActionInvitation).values({
      actionId: forums[i % 2]!,
      name: `Contact ${i}`,
      email: `contact${i}@exemple.fr`,
      tokenHash: `sections-${i}-${Math.random()}`,
      present: i < 4,
    });
}, 120_000);
afterAll(() => t.close());

const get = async (email: string, url: string) => {
  const response = await t.app.inject({ method: "GET", url, headers: await t.sessionFor(email) });
  expect(response.statusCode, response.body).toBe(200);
  return response;
};
const keysOf = (list: string[]) => list.reduce((sum, id) => sum + recordKey(id), 0);
/** What steering must read for these records: the cell-key perturbation of their count. */
const protectedOf = (list: string[], n = list.length) => present(count(n, keysOf(list)), true);

async function figures(email: string, route: string, query: string): Promise<Record<string, number | null>> {
  const body: SectionFigures = (await get(email, `${route}?${query}`)).json();
  return Object.fromEntries(body.figures.map((f) => [f.key, f.value]));
}
const routes = {
  milieuFerme: "/api/reporting/milieu-ferme",
  transfers: "/api/transfers/figures",
  actions: "/api/reporting/collective-actions",
};

/** The exact figures of the demo structure alone. */
const demoTruth = {
  milieuFerme: {
    released: 6,
    metBeforeRelease: 5,
    demarchesBeforeRelease: 12,
    identityOnRelease: 3,
    healthOnRelease: 1,
    incomeOnRelease: 0,
    registrationOnRelease: 0,
    medianDaysToFirstVisit: 10,
  },
  transfers: {
    outProposed: 5,
    outAccepted: 3,
    outRefused: 1,
    inProposed: 2,
    inAccepted: 1,
    inRefused: 0,
    handovers: 2,
    handoversWithPerson: 1,
  },
  actions: {
    kind_forum_emploi: 2,
    kind_atelier: 1,
    kind_plenary: 0,
    actions: 3,
    peopleConvoked: 0,
    partnersInvited: 6,
    partnersPresent: 4,
    interviews: 14,
    hires: 3,
    iaeOrientations: 8,
  },
};

describe("the sections' routes: exact for the direction, protected for steering, every selected structure", () => {
  it("the demo structure alone: the direction reads the ground truth", async () => {
    const one = `${period}&structureId=${t.demoStructureId}`;
    for (const [section, truth] of Object.entries(demoTruth))
      expect(await figures(demo.manager, routes[section as keyof typeof routes], one), section).toMatchObject(
        truth,
      );
  });

  it("steering reads each count perturbed from its records' keys", async () => {
    const one = `${period}&structureId=${t.demoStructureId}`;
    const milieuFerme = await figures(demo.steering, routes.milieuFerme, one);
    expect(milieuFerme.released).toBe(protectedOf(ids.released));
    const transfers = await figures(demo.steering, routes.transfers, one);
    expect(transfers.outProposed).toBe(protectedOf(ids.outOfDemo));
    expect(transfers.inProposed).toBe(protectedOf(ids.intoDemo));
    expect(transfers.inRefused).toBe(0);
    const actions = await figures(demo.steering, routes.actions, one);
    expect(actions.interviews).toBe(protectedOf(ids.interviews, 14));
    expect(actions.kind_plenary).toBe(0);
  });

  it("several structures: every one is counted; a transfer between two of them is out and in", async () => {
    const exact = await figures(demo.manager, routes.transfers, period);
    expect(exact).toMatchObject({
      outProposed: 7,
      outAccepted: 4,
      outRefused: 1,
      inProposed: 7,
      inAccepted: 4,
      handovers: 3,
      handoversWithPerson: 2,
    });
    const meuse = await figures(demo.manager, routes.transfers, `${period}&structureId=${other}`);
    expect(meuse).toMatchObject({ outProposed: 2, inProposed: 5, inAccepted: 3, handovers: 1 });
    expect((await figures(demo.manager, routes.milieuFerme, period)).released).toBe(7);
    expect((await figures(demo.manager, routes.actions, period)).actions).toBe(4);
    // Steering over both structures: one perturbed count of all seven transfers.
    const steering = await figures(demo.steering, routes.transfers, period);
    expect(steering.outProposed).toBe(protectedOf([...ids.outOfDemo, ...ids.intoDemo]));
  });
});

describe("the committee report and the exports carry the sections", () => {
  const one = () => `${period}&structureId=${t.demoStructureId}`;
  const shown = (value: number | null, kind: "count" | "days" = "count") => formatValue(value, kind);
  const pdf = async (email: string, query: string) =>
    pdfText((await get(email, `/api/reporting/report?${query}`)).rawPayload).replace(/\s+/g, " ");

  it("the PDF: exact figures for the direction, protected for steering, each defined in the annex", async () => {
    const direction = await pdf(demo.manager, one());
    for (const title of ["Milieu fermé", "Transferts et passages de relais", "Actions collectives"])
      expect(direction).toContain(title);
    expect(direction).toContain("Personnes sorties de détention 6");
    expect(direction).toContain("Démarches engagées avant la sortie 12");
    expect(direction).toContain("Pièce d'identité obtenue au jour de la sortie 3");
    expect(direction).toMatch(/première visite en milieu ouvert \(jours\) 10 j/);
    expect(direction).toContain("Transferts sortants proposés 5");
    expect(direction).toContain("Transferts entrants proposés 2");
    expect(direction).toContain("Passages de relais tenus 2");
    expect(direction).toContain("Entretiens tenus (forums emploi) 14");
    expect(direction).toContain("Partenaires présents 4");
    const annex = direction.slice(direction.indexOf("Annexe : définitions"));
    for (const { definition } of [
      milieuFermeDefinitions.medianDaysToFirstVisit,
      transferDefinitions.outProposed,
      transferDefinitions.handovers,
      actionDefinitions.interviews,
      actionDefinitions.peopleConvoked,
    ])
      expect(annex).toContain(definition);

    const steering = await pdf(demo.steering, one());
    expect(steering).toContain(`Personnes sorties de détention ${shown(protectedOf(ids.released))}`);
    expect(steering).toContain(`Transferts sortants proposés ${shown(protectedOf(ids.outOfDemo))}`);
    expect(steering).toContain(`Transferts entrants proposés ${shown(protectedOf(ids.intoDemo))}`);
    expect(steering).toContain(`Entretiens tenus (forums emploi) ${shown(protectedOf(ids.interviews, 14))}`);
    // Over both structures, the steering report counts all seven transfers at once.
    const both = await pdf(demo.steering, period);
    expect(both).toContain(
      `Transferts sortants proposés ${shown(protectedOf([...ids.outOfDemo, ...ids.intoDemo]))}`,
    );
  });

  it("the CSV and XLSX exports: one sheet per section, with the definitions", async () => {
    const csv = async (email: string, query: string) =>
      (await get(email, `/api/reporting/export?${query}&format=csv`)).body.split("\r\n");
    const row = (lines: string[], label: string) =>
      lines.find((line) => line.startsWith(`${label};`))?.split(";")[1];
    const direction = await csv(demo.manager, one());
    expect(row(direction, "Personnes sorties de détention")).toBe("6");
    expect(row(direction, "Rencontrées avant la sortie")).toBe("5");
    expect(row(direction, "Transferts sortants acceptés")).toBe("3");
    expect(row(direction, "Actions collectives")).toBe("3");
    expect(row(direction, "Embauches")).toBe("3");
    expect(direction.join("\n")).toContain(actionDefinitions.hires.definition);

    const steering = await csv(demo.steering, one());
    expect(row(steering, "Personnes sorties de détention")).toBe(shown(protectedOf(ids.released)));
    expect(row(steering, "Transferts sortants proposés")).toBe(shown(protectedOf(ids.outOfDemo)));
    expect(steering.join("\n")).toContain("Chiffres protégés");

    // One section alone, by its id, like a dashboard table.
    const alone = await csv(demo.manager, `${one()}&table=transfers`);
    expect(row(alone, "Passages de relais tenus")).toBe("2");
    expect(row(alone, "Personnes sorties de détention")).toBeUndefined();

    const workbook = async (email: string, query: string) => {
      const response = await get(email, `/api/reporting/export?${query}&format=xlsx`);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
      return book;
    };
    const value = (book: ExcelJS.Workbook, sheet: string, label: string) => {
      let found: ExcelJS.CellValue;
      book.getWorksheet(sheet)?.eachRow((r) => {
        if (r.getCell(1).value === label) found = r.getCell(2).value;
      });
      return found;
    };
    const exact = await workbook(demo.manager, one());
    expect(exact.worksheets.map((w) => w.name)).toEqual(
      expect.arrayContaining(["Milieu fermé", "Transferts et relais", "Actions collectives"]),
    );
    expect(value(exact, "Milieu fermé", "Couverture santé ouverte au jour de la sortie")).toBe(1);
    expect(value(exact, "Transferts et relais", "Transferts entrants acceptés")).toBe(1);
    expect(value(exact, "Actions collectives", "Orientations vers l'IAE")).toBe(8);
    const both = await workbook(demo.manager, period);
    expect(value(both, "Transferts et relais", "Transferts sortants proposés")).toBe(7);
    const steeringBook = await workbook(demo.steering, one());
    expect(value(steeringBook, "Transferts et relais", "Transferts sortants proposés")).toBe(
      protectedOf(ids.outOfDemo) ?? "< 5",
    );
    expect(value(steeringBook, "Milieu fermé", "Couverture santé ouverte au jour de la sortie")).toBe("< 5");
  });
});

describe("Financements de l'année (ADR 0039): exact amounts for the direction and steering", () => {
  const one = () => `${period}&structureId=${t.demoStructureId}`;
  const route = "/api/reporting/fundings";
  const euros = (text: string) => text.replace(/\s/g, " ");

  beforeAll(async () => {
    const db = t.handle.db;
    const [mairie] = await db.select().from(directoryEntry).where(eq(directoryEntry.name, "Mairie de Meaux"));
    const [barLeDuc] = await db
      .insert(directoryEntry)
      .values({ structureId: other, name: "Mairie de Bar-le-Duc", kind: "local_authority" })
      .returning();
    const [stage] = await db
      .insert(collectiveAction)
      .values({
        structureId: t.demoStructureId,
        kind: "stage",
        title: "Stage de sensibilisation à la sécurité routière",
        startsAt: at("2026-04-14T07:00:00Z"),
        endsAt: at("2026-04-14T15:00:00Z"),
        address: "Hôtel de ville, 77100 Meaux",
        hostEntryId: mairie!.id,
        status: "held",
        outcomes: { participants: 9 },
      })
      .returning();
    const demoFunding = { structureId: t.demoStructureId, funderEntryId: mairie!.id, purpose: "Stage" };
    await db.insert(funding).values([
      // The demo already holds the préfecture's 40 000 € of 2026 and the mairie's 3 000 € of 2025.
      { ...demoFunding, amountEuros: 1_500, year: 2026, collectiveActionId: stage!.id },
      { ...demoFunding, amountEuros: 2_000, year: 2027 },
      { structureId: other, funderEntryId: barLeDuc!.id, amountEuros: 12_000, purpose: "CLS", year: 2026 },
    ]);
  });

  const demoYear = {
    total: 41_500,
    fundings: 2,
    fromLocalAuthorities: 1_500,
    fromState: 40_000,
    fromOthers: 0,
    forCollectiveActions: 1_500,
    forCancelledActions: 0,
  };

  it("the period's budget years only; steering reads the same amounts, not perturbed; a CPIP nothing", async () => {
    expect(await figures(demo.manager, route, one())).toEqual(demoYear);
    expect(await figures(demo.steering, route, one())).toEqual(demoYear);
    const body: SectionFigures = (await get(demo.steering, `${route}?${one()}`)).json();
    expect(body.protected).toBe(false);
    expect(body.figures.find((f) => f.key === "total")?.kind).toBe("euros");
    // Both structures of the direction: the Meuse's 12 000 € as well.
    expect((await figures(demo.manager, route, period)).total).toBe(53_500);
    // Over 2025 to 2026, the mairie's 3 000 € of 2025 too.
    expect(
      (await figures(demo.manager, route, `from=2025-11&to=2026-05&structureId=${t.demoStructureId}`)).total,
    ).toBe(44_500);
    const cpip = await t.app.inject({
      method: "GET",
      url: `${route}?${one()}`,
      headers: await t.sessionFor(demo.cpip),
    });
    expect(cpip.statusCode).toBe(403);
  });

  it("the committee PDF and the CSV carry « Financements de l'année » in euros", async () => {
    const text = euros(pdfText((await get(demo.steering, `/api/reporting/report?${one()}`)).rawPayload));
    expect(text).toContain("Financements de l'année");
    expect(text.replace(/ +/g, " ")).toContain("Montant des financements reçus 41 500 €");
    expect(text.replace(/ +/g, " ")).toContain("dont préfecture et services de l'État 40 000 €");
    const csv = (await get(demo.manager, `/api/reporting/export?${one()}&table=fundings&format=csv`)).body;
    // The unit in the label (the figure alone reads as a count).
    expect(csv.split("\r\n").find((line) => line.startsWith("Montant des financements reçus"))).toMatch(
      /^Montant des financements reçus \(euros\);41500;/,
    );
  });

  it("a cancelled action's funding stays received, and says so on its own line", async () => {
    const db = t.handle.db;
    const [mairie] = await db.select().from(directoryEntry).where(eq(directoryEntry.name, "Mairie de Meaux"));
    const [cancelled] = await db
      .insert(collectiveAction)
      .values({
        structureId: t.demoStructureId,
        kind: "stage",
        title: "Stage de citoyenneté annulé",
        startsAt: at("2026-04-21T07:00:00Z"),
        endsAt: at("2026-04-21T15:00:00Z"),
        address: "Hôtel de ville, 77100 Meaux",
        status: "cancelled",
      })
      .returning();
    await db.insert(funding).values({
      structureId: t.demoStructureId,
      funderEntryId: mairie!.id,
      purpose: "Stage annulé",
      amountEuros: 7_500,
      year: 2026,
      collectiveActionId: cancelled!.id,
    });
    expect(await figures(demo.manager, route, one())).toEqual({
      ...demoYear,
      total: 49_000,
      fundings: 3,
      fromLocalAuthorities: 9_000,
      forCollectiveActions: 9_000,
      forCancelledActions: 7_500,
    });
    const body: SectionFigures = (await get(demo.manager, `${route}?${one()}`)).json();
    const line = body.figures.find((f) => f.key === "forCancelledActions");
    expect(line?.label).toBe("dont actions collectives annulées");
    expect(body.figures.find((f) => f.key === "forCollectiveActions")?.definition).toContain(
      "y compris une action annulée",
    );
  });
});
