import { describe, expect, it } from "vitest";
import type { Openings } from "../../../common/agenda/agenda.schema";
import type { Role } from "../../../common/roles";
import type { StructureUser } from "../../../common/structures/structures.schema";
import { firstSteps } from "./firstSteps";

const agent = (id: string, roles: Role[], over: Partial<StructureUser> = {}): StructureUser => ({
  id,
  email: `${id}@example.fr`,
  displayName: id,
  roles,
  serviceName: null,
  activeInStructure: true,
  invitationPending: false,
  invitationEmailed: true,
  accountDisabled: false,
  totpEnabled: false,
  training: null,
  permissions: {
    changeRoles: true,
    recordTraining: true,
    deactivate: true,
    reactivate: false,
    resendInvitation: false,
    resetPassword: true,
    disableAccount: false,
    enableAccount: false,
  },
  ...over,
});

const rule = (counselorIds: string[]): Openings["rules"][number] => ({
  id: "rule",
  siteId: "site",
  siteName: "Dijon",
  weekday: 2,
  onDate: null,
  startTime: "09:00",
  endTime: "12:30",
  slotMinutes: 45,
  bufferMinutes: 15,
  validFrom: "2026-12-01",
  validTo: null,
  counselors: counselorIds.map((id) => ({ id, name: id })),
});

const openings = (rules: Openings["rules"], counselorIds: string[]): Openings => ({
  rules,
  closures: [],
  pastClosures: [],
  pastAbsences: [],
  absences: [],
  counselors: counselorIds.map((id) => ({ id, name: id, trainedOn: null })),
  weeklyOpeningMinutes: 0,
});

/** Each step as "key: done" or "key: why not". */
const states = (users: StructureUser[], o: Openings): string[] =>
  firstSteps(users, o).map((s) => `${s.key}: ${s.done ? "Fait" : s.missing}`);

describe("firstSteps", () => {
  it("a structure just set up (its direction alone): nothing is done, in order", () => {
    const steps = firstSteps([agent("direction", ["service_manager"])], openings([], []));
    expect(steps.map((s) => [s.key, s.to])).toEqual([
      ["agents", "/agents"],
      ["permanence", "/permanences"],
      ["activation", "/agents"],
    ]);
    expect(states([agent("direction", ["service_manager"])], openings([], []))).toEqual([
      "agents: Aucun conseiller France services ni CPIP pour l'instant.",
      "permanence: Aucune permanence ouverte pour l'instant.",
      "activation: Aucun CPIP pour l'instant.",
    ]);
  });

  it("counselors alone, or a CPIP alone, are not enough; a disabled or departed agent does not count", () => {
    const o = openings([], ["ines"]);
    expect(states([agent("ines", ["counselor"])], o)[0]).toBe("agents: Aucun CPIP pour l'instant.");
    expect(states([agent("paul", ["probation_officer"])], o)[0]).toBe(
      "agents: Aucun conseiller France services pour l'instant.",
    );
    expect(
      states(
        [
          agent("ines", ["counselor"]),
          agent("paul", ["probation_officer"], { activeInStructure: false }),
          agent("marc", ["probation_officer"], { accountDisabled: true }),
        ],
        o,
      )[0],
    ).toBe("agents: Aucun CPIP pour l'instant.");
    // A volunteer CPIP holding permanences is both.
    expect(states([agent("nicolas", ["counselor", "probation_officer"])], o)[0]).toBe("agents: Fait");
  });

  it("a permanence counts once a counselor still in the structure holds it", () => {
    const users = [agent("ines", ["counselor"]), agent("paul", ["probation_officer"])];
    expect(states(users, openings([rule(["ines"])], ["ines"]))[1]).toBe("permanence: Fait");
    expect(states(users, openings([rule(["gone"])], ["ines"]))[1]).toBe(
      "permanence: Aucun conseiller de la structure ne tient les permanences ouvertes.",
    );
  });

  it("a CPIP still to activate their account leaves the last step to do; once signed in, all is done", () => {
    const o = openings([rule(["ines"])], ["ines"]);
    const invited = [
      agent("ines", ["counselor"]),
      agent("paul", ["probation_officer"], { invitationPending: true }),
    ];
    expect(states(invited, o)).toEqual([
      "agents: Fait",
      "permanence: Fait",
      "activation: Aucun CPIP n'a encore activé son compte : l'invitation peut être renvoyée depuis la liste des agents.",
    ]);
    const signedIn = [agent("ines", ["counselor"]), agent("paul", ["probation_officer"])];
    expect(firstSteps(signedIn, o).every((s) => s.done)).toBe(true);
  });
});
