import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import { addDays, parisDay } from "../../../common/calendar";
import { parisInstant } from "../../core/parisTime";
import { invitationTokenHash, newInvitationToken } from "../../domains/actions/rules";
import { nextOpeningDay } from "../../domains/agenda/rules";
import type { Db } from "../createDb";
import {
  collectiveAction,
  collectiveActionInvitation,
  collectiveActionOrganiser,
  convocation,
  directoryContact,
  type directoryEntry,
  partner,
  person,
  referent,
  site,
  structure,
  user,
  workingGroupMember,
} from "../schema";
import { directoryEntryNamed } from "./directoryEntryNamed";

/** The Paris day `days` after today, moved on to the next working day (no weekend, no public holiday). */
export function parisDayAfter(today: Date, days: number): string {
  return nextOpeningDay(addDays(parisDay(today), days), [], "77");
}

/**
 * The collective actions of the demo (issue 15): the one forum emploi, next month at Meaux, with
 * three IAE employers and the CAF invited (one employer said yes, the CAF said no) and three people
 * convoked by the demo CPIP; an atelier numérique in two weeks; the working group "Accès aux droits
 * en sortie de détention" — its members, its past meeting with minutes and decisions, its next
 * meeting with the members invited; the steering committee's last meeting (minutes, decisions) and
 * its next one. The forum's convocations are to come, so the figures of past periods stay those of
 * the permanences. Contacts use a reserved domain (never delivered).
 */
export async function seedDemoActions(db: Db, today: Date): Promise<void> {
  const [fs77] = await db
    .select({ id: structure.id })
    .from(structure)
    .where(eq(structure.labelNumber, "FS-77-035"));
  if (!fs77) return;
  const siteId = async (name: string) =>
    (
      await db
        .select({ id: site.id })
        .from(site)
        .where(and(eq(site.structureId, fs77.id), eq(site.name, name)))
    )[0]?.id ?? null;
  const userId = async (email: string) =>
    (await db.select({ id: user.id }).from(user).where(eq(user.email, email)))[0]?.id ?? null;
  const [caf] = await db.select({ id: partner.id }).from(partner).where(eq(partner.code, "caf"));
  const direction = await userId("direction@demo.passerelle.fr");
  const ines = await userId("conseiller@demo.passerelle.fr");

  const contactOf = async (
    entry: Omit<typeof directoryEntry.$inferInsert, "structureId">,
    contact: { name: string; function: string; email: string },
  ) => {
    const e = await directoryEntryNamed(db, { structureId: fs77.id, ...entry });
    const [known] = await db
      .select({ id: directoryContact.id, name: directoryContact.name, email: directoryContact.email })
      .from(directoryContact)
      .where(and(eq(directoryContact.entryId, e.id), eq(directoryContact.name, contact.name)));
    if (known) return known;
    const [c] = await db
      .insert(directoryContact)
      .values({ entryId: e.id, ...contact })
      .returning({ id: directoryContact.id, name: directoryContact.name, email: directoryContact.email });
    return c!;
  };
  const employers = [
    await contactOf(
      {
        name: "Les Jardins du Cœur de Brie",
        kind: "iae_employer",
        iaeKind: "ACI",
        area: "Meaux",
        address: "Chemin des Maraîchers, 77100 Meaux",
      },
      {
        name: "Claire Dubois",
        function: "Chargée d'insertion",
        email: "claire.dubois@jardins-brie.exemple.invalid",
      },
    ),
    await contactOf(
      {
        name: "Envie Seine-et-Marne",
        kind: "iae_employer",
        iaeKind: "EI",
        area: "Lagny-sur-Marne",
        address: "Zone d'activités, 77400 Lagny-sur-Marne",
      },
      { name: "Mehdi Ouali", function: "Encadrant technique", email: "m.ouali@envie77.exemple.invalid" },
    ),
    await contactOf(
      {
        name: "GEIQ BTP 77",
        kind: "iae_employer",
        iaeKind: "GEIQ",
        area: "Seine-et-Marne",
        address: "Avenue du Général de Gaulle, 77000 Melun",
      },
      {
        name: "Sandrine Leroy",
        function: "Responsable du recrutement",
        email: "s.leroy@geiq-btp77.exemple.invalid",
      },
    ),
  ];
  const cafContact = await contactOf(
    {
      name: "CAF de Seine-et-Marne",
      kind: "national_operator",
      partnerId: caf?.id ?? null,
      area: "Seine-et-Marne",
    },
    {
      name: "Sophie Garnier",
      function: "Référente partenariats",
      email: "sophie.garnier@caf77.exemple.invalid",
    },
  );

  const action = async (
    values: Omit<typeof collectiveAction.$inferInsert, "structureId">,
    organisers: (string | null)[],
  ) => {
    const [row] = await db
      .insert(collectiveAction)
      .values({ structureId: fs77.id, createdBy: direction, ...values })
      .returning({ id: collectiveAction.id });
    const ids = organisers.filter((id): id is string => id !== null);
    if (ids.length > 0)
      await db.insert(collectiveActionOrganiser).values(ids.map((u) => ({ actionId: row!.id, userId: u })));
    return row!.id;
  };

  const forumDay = parisDayAfter(today, 30);
  const forum = await action(
    {
      kind: "forum_emploi",
      title: "Forum emploi IAE de Meaux",
      theme: "Insertion par l'activité économique",
      description:
        "Rencontres avec des employeurs de l'insertion par l'activité économique (chantiers, entreprise d'insertion, GEIQ). Venir avec un CV si possible ; les conseillers aident à le préparer.",
      startsAt: parisInstant(forumDay, "09:30"),
      endsAt: parisInstant(forumDay, "12:30"),
      siteId: await siteId("Meaux"),
      capacity: 30,
    },
    [direction, ines],
  );
  const invitees = [...employers, cafContact];
  const answers: Record<number, "yes" | "no"> = { 0: "yes", 3: "no" };
  for (const [index, c] of invitees.entries()) {
    const answer = answers[index];
    await db.insert(collectiveActionInvitation).values({
      actionId: forum,
      directoryContactId: c.id,
      name: c.name,
      email: c.email,
      tokenHash: invitationTokenHash(newInvitationToken()),
      ...(answer ? { answer, answeredAt: new Date(today.getTime() - 2 * 86_400_000) } : {}),
    });
  }
  await convokeToForum(db, {
    structureId: fs77.id,
    actionId: forum,
    day: forumDay,
    siteId: await siteId("Meaux"),
  });

  const atelierDay = parisDayAfter(today, 14);
  await action(
    {
      kind: "atelier",
      title: "Atelier numérique : créer son identité numérique La Poste",
      theme: "Numérique",
      description:
        "Atelier de deux heures en petit groupe : adresse électronique, identité numérique, FranceConnect.",
      startsAt: parisInstant(atelierDay, "14:00"),
      endsAt: parisInstant(atelierDay, "16:00"),
      siteId: await siteId("Fontainebleau"),
      capacity: 8,
    },
    [ines],
  );

  const groupDay = parisDayAfter(today, -40);
  const group = await action(
    {
      kind: "working_group",
      title: "Accès aux droits en sortie de détention",
      theme: "Sortie de détention",
      description:
        "Groupe de travail SPIP, CAF, CPAM, France Travail et association sur les droits à ouvrir avant la sortie.",
      startsAt: parisInstant(groupDay, "14:00"),
      endsAt: parisInstant(groupDay, "16:30"),
      siteId: null,
      address: "Préfecture de Seine-et-Marne, 12 rue des Saints-Pères, 77000 Melun",
      status: "held",
      outcomes: {},
      minutes:
        "Point sur les sorties sèches : la moitié des personnes sortent sans couverture maladie à jour. La CPAM propose un circuit d'affiliation avant la sortie, la CAF un rendez-vous dans le mois qui suit.",
      decisions:
        "1. Fiche navette CPAM à remplir trois mois avant la sortie prévue.\n2. Rendez-vous CAF réservé dans le mois de la sortie.\n3. Prochaine réunion dans trois mois.",
    },
    [direction],
  );
  await seedWorkingGroup(db, {
    structureId: fs77.id,
    groupId: group,
    nextDay: parisDayAfter(today, 50),
    agents: [direction, await userId("cpip@demo.passerelle.fr")],
    contacts: [cafContact, await contactNamed(db, fs77.id, "Nadia Ferreira")],
    action,
  });

  // The steering committee (seed: préfecture, SPIP, association, national operators): its last
  // meeting with minutes and decisions, its next one with its members invited.
  const committeeDay = parisDayAfter(today, -60);
  const committee = {
    kind: "steering_committee",
    title: "Comité de pilotage France services SPIP 77",
    theme: "Bilan trimestriel",
    description:
      "Préfecture de Seine-et-Marne, direction du SPIP 77, PIMM'S Médiation 77, représentants des opérateurs nationaux (CAF, CPAM, France Travail), animateur départemental France services.",
    address: "Préfecture de Seine-et-Marne, 12 rue des Saints-Pères, 77000 Melun",
  } as const;
  const firstCommittee = await action(
    {
      ...committee,
      startsAt: parisInstant(committeeDay, "10:00"),
      endsAt: parisInstant(committeeDay, "12:00"),
      siteId: null,
      status: "held",
      outcomes: {},
      minutes:
        "Après trois mois : 60 personnes accompagnées, 160 démarches, de nombreuses réorientations vers la médiation de l'association pour les dossiers complexes. Les besoins portent d'abord sur les papiers d'identité, la santé et le logement.",
      decisions:
        "1. Ouvrir une permanence au centre pénitentiaire de Meaux-Chauconin pour intervenir avant la sortie.\n2. La CPAM désigne un correspondant back-office pour les affiliations.\n3. Prochain comité dans trois mois, avec le rapport du tableau de bord.",
    },
    [direction],
  );
  await seedWorkingGroup(db, {
    structureId: fs77.id,
    groupId: firstCommittee,
    nextDay: parisDayAfter(today, 30),
    template: committee,
    times: ["10:00", "12:00"],
    agents: [direction, await userId("pilotage@demo.passerelle.fr")],
    contacts: [cafContact, await contactNamed(db, fs77.id, "Nadia Ferreira")],
    action,
  });
}

async function contactNamed(
  db: Db,
  structureId: string,
  name: string,
): Promise<{ id: string; name: string; email: string } | null> {
  const [row] = await db
    .select({ id: directoryContact.id, name: directoryContact.name, email: directoryContact.email })
    .from(directoryContact)
    .where(
      and(
        eq(directoryContact.name, name),
        sql`${directoryContact.entryId} in (select id from directory_entry where structure_id = ${structureId})`,
      ),
    );
  return row ?? null;
}

/**
 * Three people followed by the demo CPIP, with a past of generated visits (never the named demo people, whose
 * files start empty for the journeys), convoked to the forum as the CPIP would: seats 1 to 3, no
 * message queued (the demo sends nothing by itself).
 */
async function convokeToForum(
  db: Db,
  input: { structureId: string; actionId: string; day: string; siteId: string | null },
): Promise<void> {
  if (!input.siteId) return;
  const people = await db
    .select({ person_id: referent.personId, user_id: referent.userId })
    .from(referent)
    .innerJoin(person, eq(person.id, referent.personId))
    .innerJoin(user, eq(user.id, referent.userId))
    .where(
      and(
        eq(person.structureId, input.structureId),
        isNull(referent.endedAt),
        eq(user.email, "cpip@demo.passerelle.fr"),
        isNull(person.detentionSiteId),
        isNull(person.archivedAt),
        isNull(person.closedAt),
        // Generated history only (its seats start at 1,000,000): never a named demo person.
        sql`exists (select 1 from ${convocation} where ${convocation.personId} = ${person.id} and ${convocation.seat} >= 1000000)`,
      ),
    )
    .orderBy(asc(person.lastName), asc(person.firstName))
    .limit(3);
  for (const [index, row] of people.entries()) {
    await db.insert(convocation).values({
      structureId: input.structureId,
      siteId: input.siteId,
      personId: row.person_id,
      startsAt: parisInstant(input.day, "09:30"),
      endsAt: parisInstant(input.day, "12:30"),
      seat: index + 1,
      needDomains: ["emploi"],
      comment: "Forum emploi : venir avec un CV si possible.",
      notifySms: false,
      notifyEmail: false,
      bookedBy: row.user_id,
      collectiveActionId: input.actionId,
    });
  }
}

const WORKING_GROUP = {
  kind: "working_group",
  title: "Accès aux droits en sortie de détention",
  theme: "Sortie de détention",
  description:
    "Groupe de travail SPIP, CAF, CPAM, France Travail et association sur les droits à ouvrir avant la sortie.",
  address: "Préfecture de Seine-et-Marne, 12 rue des Saints-Pères, 77000 Melun",
} as const;

/**
 * A series (the working group, the steering committee): its members and its next meeting, the
 * members invited to it.
 */
async function seedWorkingGroup(
  db: Db,
  input: {
    structureId: string;
    groupId: string;
    nextDay: string;
    /** What the next meeting repeats of the series (the working group's by default). */
    template?: { kind: string; title: string; theme: string; description: string; address: string };
    /** Its Paris start and end times. */
    times?: [string, string];
    agents: (string | null)[];
    contacts: ({ id: string; name: string; email: string } | null)[];
    action: (
      values: Omit<typeof collectiveAction.$inferInsert, "structureId">,
      organisers: (string | null)[],
    ) => Promise<string>;
  },
): Promise<void> {
  await db
    .update(collectiveAction)
    .set({ seriesId: input.groupId })
    .where(eq(collectiveAction.id, input.groupId));
  const agents = input.agents.filter((id): id is string => id !== null);
  const contacts = input.contacts.filter((c): c is { id: string; name: string; email: string } => c !== null);
  await db.insert(workingGroupMember).values([
    ...agents.map((userId) => ({ structureId: input.structureId, seriesId: input.groupId, userId })),
    ...contacts.map((c) => ({
      structureId: input.structureId,
      seriesId: input.groupId,
      directoryContactId: c.id,
    })),
  ]);
  const [start, end] = input.times ?? ["14:00", "16:30"];
  const next = await input.action(
    {
      ...(input.template ?? WORKING_GROUP),
      startsAt: parisInstant(input.nextDay, start),
      endsAt: parisInstant(input.nextDay, end),
      seriesId: input.groupId,
    },
    agents.slice(0, 1),
  );
  const people = await db
    .select({ userId: user.id, name: user.displayName, email: user.email })
    .from(user)
    .where(inArray(user.id, agents));
  for (const invitee of [
    ...people.map((p) => ({ ...p, directoryContactId: null })),
    ...contacts.map((c) => ({ name: c.name, email: c.email, directoryContactId: c.id, userId: null })),
  ])
    await db.insert(collectiveActionInvitation).values({
      actionId: next,
      ...invitee,
      tokenHash: invitationTokenHash(newInvitationToken()),
    });
}
