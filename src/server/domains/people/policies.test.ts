import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Role, roles } from "../../../common/roles";
import type { Actor, Membership } from "../../core/context";
import type { DbHandle } from "../../db/createDb";
import { service } from "../../db/schema";
import { aConvocation, anAgent, aPerson, aStructure } from "../../testing/builders";
import { openTestDb } from "../../testing/testDb";
import { listPeople } from "./peopleList";
import { peopleScope } from "./policies";
import { findVisiblePerson } from "./queries";

/**
 * Property: for any set of memberships, the people the SQL scope returns — and those whose judicial
 * fields it opens — are exactly those DESIGN §2 allows (a plain-JS oracle).
 */
interface World {
  structures: { id: string; services: string[] }[];
  referents: { id: string; structureId: string; serviceId: string }[];
  /** `convokedIn`: the structures where the person has a convocation (none, their own, the other one). */
  people: { id: string; structureId: string; referentId: string; serviceId: string; convokedIn: string[] }[];
}

let handle: DbHandle;
let world: World;

beforeAll(async () => {
  handle = await openTestDb();
  const db = handle.db;
  world = { structures: [], referents: [], people: [] };
  for (const name of ["A", "B"]) {
    const built = await aStructure(db, `Structure ${name}`);
    const [second] = await db
      .insert(service)
      .values({ structureId: built.structure.id, name: `Second SPIP ${name}`, kind: "spip" })
      .returning();
    const services = [built.spipServiceId, second!.id];
    world.structures.push({ id: built.structure.id, services });
    for (const serviceId of services) {
      const referent = await anAgent(db, {
        structureId: built.structure.id,
        roles: ["probation_officer"],
        serviceId,
      });
      world.referents.push({ id: referent.id, structureId: built.structure.id, serviceId });
      for (let i = 0; i < 2; i++) {
        const p = await aPerson(db, {
          structureId: built.structure.id,
          referentUserId: referent.id,
          referentServiceId: serviceId,
        });
        // One person convoked in their own structure, the other only in the other structure (or nowhere
        // for the first structure, which has no other to be convoked in yet).
        const convokedIn =
          i === 0 ? [built.structure.id] : world.structures.length > 1 ? [world.structures[0]!.id] : [];
        for (const structureId of convokedIn)
          await aConvocation(db, { personId: p.id, structureId, bookedBy: referent.id });
        world.people.push({
          id: p.id,
          structureId: built.structure.id,
          referentId: referent.id,
          serviceId,
          convokedIn,
        });
      }
    }
  }
});
afterAll(() => handle.close());

function oracle(actor: Actor, p: World["people"][number]): { visible: boolean; full: boolean } {
  const holds = (role: Role) =>
    actor.memberships.some((m) => m.role === role && m.structureId === p.structureId);
  const officerServices = actor.memberships
    .filter((m) => m.role === "probation_officer")
    .map((m) => m.serviceId);
  const officer =
    holds("probation_officer") && (p.referentId === actor.userId || officerServices.includes(p.serviceId));
  const full = holds("service_manager") || officer;
  // A counselor sees the people convoked in their structure (DESIGN §2), never judicial fields.
  const counselor = holds("counselor") && p.convokedIn.includes(p.structureId);
  return { visible: full || counselor, full };
}

const membershipArb = (w: () => World) =>
  fc
    .record({ s: fc.nat(1), role: fc.constantFrom(...roles), service: fc.nat(2) })
    .map(({ s, role, service }): Membership => {
      const structure = w().structures[s]!;
      return {
        structureId: structure.id,
        role,
        serviceId: structure.services[service] ?? null,
        partnerId: null,
      };
    });

describe("people scope (property)", () => {
  it("returns exactly the people DESIGN §2 allows, with judicial fields only for SPIP roles", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          membershipArb(() => world),
          { maxLength: 4 },
        ),
        fc.integer({ min: -1, max: 3 }),
        async (memberships, whoIndex) => {
          const userId = world.referents[whoIndex]?.id ?? "00000000-0000-4000-8000-000000000001";
          const actor: Actor = { userId, displayName: "x", memberships };
          const scope = peopleScope(actor);
          const listed = new Set(
            (
              await listPeople(
                handle.db,
                scope,
                { fileState: "all", page: 1 },
                new Date("2026-06-01T09:00:00Z"),
              )
            ).people.map((p) => p.id),
          );
          const worldIds = new Set(world.people.map((p) => p.id));
          for (const id of listed) expect(worldIds.has(id)).toBe(true);
          for (const p of world.people) {
            const expected = oracle(actor, p);
            expect(listed.has(p.id)).toBe(expected.visible);
            const found = await findVisiblePerson(handle.db, scope, p.id);
            expect(Boolean(found)).toBe(expected.visible);
            if (found) expect(found.full).toBe(expected.full);
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
