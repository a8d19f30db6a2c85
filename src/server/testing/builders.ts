import { randomBytes } from "node:crypto";
import { and, asc, eq } from "drizzle-orm";
import type { MeasureType, Role } from "../../common/roles";
import type { Db } from "../db/createDb";
import {
  convocation,
  measure,
  membership,
  person,
  referent,
  service,
  site,
  structure,
  user,
} from "../db/schema";
import { DEMO_PASSWORD } from "../db/seed/demo";
import { hashPassword } from "../domains/identity/passwords";

const unique = () => randomBytes(4).toString("hex");

/** Another structure with its SPIP service, to prove that a role in one gives nothing in another. */
export async function aStructure(db: Db, name = `Structure ${unique()}`) {
  const [created] = await db
    .insert(structure)
    .values({ name, labelNumber: `FS-${unique()}`, departement: "55", coHolders: ["SPIP de la Meuse"] })
    .returning();
  const [spip] = await db
    .insert(service)
    .values({ structureId: created!.id, name: "SPIP de la Meuse", kind: "spip" })
    .returning();
  return { structure: created!, spipServiceId: spip!.id };
}

let demoHash: Promise<string> | undefined;
function demoPasswordHash(): Promise<string> {
  demoHash ??= hashPassword(DEMO_PASSWORD);
  return demoHash;
}

/** An agent with roles in a structure; their password is the demo one. */
export async function anAgent(
  db: Db,
  input: { structureId: string; roles: Role[]; serviceId?: string | null; email?: string },
) {
  const email = input.email ?? `agent-${unique()}@test.passerelle.fr`;
  const [created] = await db
    .insert(user)
    .values({
      email,
      displayName: `Agent ${unique()}`,
      passwordHash: await demoPasswordHash(),
    })
    .returning();
  await db.insert(membership).values(
    input.roles.map((role) => ({
      userId: created!.id,
      structureId: input.structureId,
      role,
      serviceId: input.serviceId ?? null,
      // An agent who accepted long ago: their whole activity belongs to the structure's journal.
      acceptedAt: new Date("2020-01-01T00:00:00Z"),
    })),
  );
  return created!;
}

/** A person with a measure and an active referent. */
export async function aPerson(
  db: Db,
  input: {
    structureId: string;
    referentUserId: string;
    referentServiceId: string;
    measureType?: MeasureType;
    offence?: string;
    identity?: Partial<
      Pick<typeof person.$inferInsert, "firstName" | "lastName" | "birthDate" | "phone" | "status">
    >;
  },
) {
  const [created] = await db
    .insert(person)
    .values({
      structureId: input.structureId,
      firstName: "Test",
      lastName: `Personne-${unique()}`,
      birthDate: "1990-01-01",
      status: "milieu_ouvert",
      ...input.identity,
    })
    .returning();
  await db.insert(measure).values({
    personId: created!.id,
    type: input.measureType ?? "sursis_probatoire",
    startDate: "2026-01-01",
    endDate: "2027-01-01",
    offence: input.offence ?? "Infraction de test",
    court: "Tribunal de test",
    judgmentDate: "2025-12-01",
  });
  await db.insert(referent).values({
    personId: created!.id,
    userId: input.referentUserId,
    serviceId: input.referentServiceId,
  });
  return created!;
}

/**
 * A past convocation of the person in the structure (cancelled by the service, so it counts in no
 * figure): what makes a person visible to the structure's counselors (DESIGN §2). The site is the
 * structure's first France services site, created if it has none. A test may give another start
 * and status (45 minutes long).
 */
export async function aConvocation(
  db: Db,
  input: {
    personId: string;
    structureId: string;
    bookedBy: string;
    siteId?: string;
    startsAt?: Date;
    status?: "cancelled" | "honoured" | "planned";
  },
) {
  let siteId = input.siteId;
  if (!siteId) {
    const [existing] = await db
      .select({ id: site.id })
      .from(site)
      .where(and(eq(site.structureId, input.structureId), eq(site.kind, "france_services")))
      .orderBy(asc(site.name))
      .limit(1);
    siteId =
      existing?.id ??
      (
        await db
          .insert(site)
          .values({
            structureId: input.structureId,
            name: `Site ${unique()}`,
            kind: "france_services",
            address: "1 rue du Test",
          })
          .returning()
      )[0]!.id;
  }
  const startsAt = input.startsAt ?? new Date("2026-01-05T09:00:00Z");
  const [created] = await db
    .insert(convocation)
    .values({
      structureId: input.structureId,
      siteId,
      personId: input.personId,
      startsAt,
      endsAt: new Date(startsAt.getTime() + 45 * 60_000),
      seat: 1,
      status: input.status ?? "cancelled",
      notifySms: false,
      notifyEmail: false,
      bookedBy: input.bookedBy,
    })
    .returning();
  return created!;
}
