import { and, asc, eq, exists, gte, isNotNull, isNull, lte, type SQL, sql } from "drizzle-orm";
import { addDays, parisDay } from "../../../common/calendar";
import { formatLongDate } from "../../../common/dateFormat";
import { atPlace } from "../../../common/placeName";
import type { ScheduledJob } from "../../core/scheduler";
import type { Db } from "../../db/createDb";
import {
  convocation,
  detentionSettings,
  membership,
  person,
  referent,
  releaseAlert,
  site,
  siteAccessAuthorisation,
  user,
} from "../../db/schema";
import { enqueueAgentNotices } from "../notifications/outbox";
import {
  DEFAULT_ACCESS_ALERT_DAYS,
  DEFAULT_RELEASE_PLAN_DAYS,
  daysBetween,
  releaseAlertDue,
  releasePlanItems,
} from "./rules";

const planCodes = releasePlanItems.map((i) => i.code);
const codeList = sql.join(
  planCodes.map((c) => sql`${c}`),
  sql`, `,
);
/** How many plan items of the person have no granted démarche yet. */
export const openPlanItems = sql<number>`(select count(*)::int from demarche_type t where t.code in (${codeList})
  and not exists (select 1 from demarche d where d.person_id = ${person.id} and d.demarche_type_id = t.id and d.status = 'granted'))`;
const planDays = sql`coalesce(${detentionSettings.releasePlanDays}, ${DEFAULT_RELEASE_PLAN_DAYS})`;
const accessDays = sql`coalesce(${detentionSettings.accessAlertDays}, ${DEFAULT_ACCESS_ALERT_DAYS})`;

/** People followed whose release is within the plan delay, with plan items still open (home alerts). */
export async function releaseNear(db: Db, followed: SQL, today: string) {
  return db
    .select({
      personId: person.id,
      personName: sql<string>`upper(${person.lastName}) || ' ' || ${person.firstName}`,
      date: person.expectedReleaseDate,
      open: openPlanItems,
    })
    .from(person)
    .leftJoin(detentionSettings, eq(detentionSettings.structureId, person.structureId))
    .where(
      and(
        followed,
        isNotNull(person.detentionSiteId),
        isNull(person.releasedOn),
        sql`${person.expectedReleaseDate} >= ${today}::date`,
        sql`${person.expectedReleaseDate} <= ${today}::date + ${planDays}::int`,
        sql`${openPlanItems} > 0`,
      ),
    )
    .orderBy(asc(person.expectedReleaseDate))
    .limit(50);
}

/** The agent's own access authorisations expiring within the structure's alert delay, or expired. */
export async function myExpiringAccess(db: Db, userId: string, today: string) {
  return db
    .select({ siteName: site.name, validUntil: siteAccessAuthorisation.validUntil })
    .from(siteAccessAuthorisation)
    .innerJoin(site, eq(site.id, siteAccessAuthorisation.siteId))
    .leftJoin(detentionSettings, eq(detentionSettings.structureId, siteAccessAuthorisation.structureId))
    .where(
      and(
        eq(siteAccessAuthorisation.userId, userId),
        sql`${siteAccessAuthorisation.validUntil} <= ${today}::date + ${accessDays}::int`,
        sql`${siteAccessAuthorisation.validUntil} >= ${today}::date - 30`,
      ),
    )
    .orderBy(asc(siteAccessAuthorisation.validUntil));
}

/** E-mails once per authorisation, the alert delay before it lapses, to its holder. */
export async function alertExpiringAccess(db: Db, now: Date): Promise<number> {
  const today = parisDay(now);
  return db.transaction(async (tx) => {
    const due = await tx
      .select({
        id: siteAccessAuthorisation.id,
        structureId: siteAccessAuthorisation.structureId,
        validUntil: siteAccessAuthorisation.validUntil,
        siteName: site.name,
        userId: user.id,
        email: user.email,
      })
      .from(siteAccessAuthorisation)
      .innerJoin(site, eq(site.id, siteAccessAuthorisation.siteId))
      .innerJoin(user, eq(user.id, siteAccessAuthorisation.userId))
      .leftJoin(detentionSettings, eq(detentionSettings.structureId, siteAccessAuthorisation.structureId))
      .where(
        and(
          isNull(siteAccessAuthorisation.alertedAt),
          isNull(user.disabledAt),
          gte(siteAccessAuthorisation.validUntil, today),
          sql`${siteAccessAuthorisation.validUntil} <= ${today}::date + ${accessDays}::int`,
        ),
      )
      .for("update", { of: siteAccessAuthorisation, skipLocked: true });
    for (const a of due) {
      await enqueueAgentNotices(tx, {
        structureId: a.structureId,
        kind: "agent_alert",
        recipients: [{ id: a.userId, email: a.email }],
        subject: `Votre autorisation d'accès ${atPlace(a.siteName)} expire le ${formatLongDate(a.validUntil)}`,
        body: `Bonjour,\n\nVotre autorisation d'accès ${atPlace(a.siteName)} est valable jusqu'au ${formatLongDate(a.validUntil)}. Après cette date, vous ne pourrez plus y être convoqué·e ni y tenir de permanence.\n\nDemandez son renouvellement à l'établissement, puis à votre direction de l'enregistrer dans Passerelle.\n\nPasserelle`,
        now,
      });
      await tx
        .update(siteAccessAuthorisation)
        .set({ alertedAt: now })
        .where(eq(siteAccessAuthorisation.id, a.id));
    }
    return due.length;
  });
}

/**
 * Release alerts (90, 30, 7 days before): once per threshold, to the referent and the structure's
 * counselors who see the file (the person was convoked in the structure), while plan items are open. The e-mail names the file number, never the person.
 */
export async function alertNearReleases(db: Db, now: Date): Promise<number> {
  const today = parisDay(now);
  return db.transaction(async (tx) => {
    const people = await tx
      .select({
        id: person.id,
        structureId: person.structureId,
        fileNumber: person.fileNumber,
        release: person.expectedReleaseDate,
        open: openPlanItems,
        referentId: referent.userId,
      })
      .from(person)
      .leftJoin(referent, and(eq(referent.personId, person.id), isNull(referent.endedAt)))
      .where(
        and(
          isNotNull(person.detentionSiteId),
          isNull(person.releasedOn),
          isNull(person.closedAt),
          isNull(person.mergedIntoId),
          isNull(person.erasedAt),
          gte(person.expectedReleaseDate, today),
          lte(person.expectedReleaseDate, addDays(today, 90)),
        ),
      );
    let sent = 0;
    for (const p of people) {
      if (!p.release || p.open === 0) continue;
      const daysLeft = daysBetween(today, p.release);
      const already = await tx
        .select({ t: releaseAlert.thresholdDays })
        .from(releaseAlert)
        .where(and(eq(releaseAlert.personId, p.id), eq(releaseAlert.releaseDate, p.release)));
      const threshold = releaseAlertDue(
        daysLeft,
        already.map((r) => r.t),
      );
      if (threshold === null) continue;
      const inserted = await tx
        .insert(releaseAlert)
        .values({ personId: p.id, releaseDate: p.release, thresholdDays: threshold, sentAt: now })
        .onConflictDoNothing()
        .returning({ personId: releaseAlert.personId });
      if (inserted.length === 0) continue;
      // The counselors who see the file (people/policies `counselorSees`): a person convoked in the
      // structure. The others would get a file number they cannot open.
      const counselors = await tx
        .selectDistinct({ id: user.id, email: user.email })
        .from(membership)
        .innerJoin(user, eq(user.id, membership.userId))
        .where(
          and(
            eq(membership.structureId, p.structureId),
            eq(membership.role, "counselor"),
            isNull(membership.endedAt),
            isNotNull(membership.acceptedAt),
            isNull(user.disabledAt),
            exists(
              tx
                .select({ one: sql`1` })
                .from(convocation)
                .where(and(eq(convocation.personId, p.id), eq(convocation.structureId, p.structureId))),
            ),
          ),
        );
      const referentRows = p.referentId
        ? await tx
            .select({ id: user.id, email: user.email })
            .from(user)
            .where(and(eq(user.id, p.referentId), isNull(user.disabledAt)))
        : [];
      const recipients = [...referentRows, ...counselors.filter((c) => c.id !== p.referentId)];
      await enqueueAgentNotices(tx, {
        structureId: p.structureId,
        kind: "agent_alert",
        recipients,
        subject: `Préparer la sortie : dossier n° ${p.fileNumber}, libération dans ${daysLeft} jour${daysLeft > 1 ? "s" : ""}`,
        body: `Bonjour,\n\nLa personne du dossier n° ${p.fileNumber} doit sortir de détention le ${formatLongDate(p.release)}. ${p.open} démarche${p.open > 1 ? "s" : ""} du plan « préparer la sortie » ${p.open > 1 ? "restent ouvertes" : "reste ouverte"}.\n\nOuvrez le dossier dans Passerelle pour les suivre.\n\nPasserelle`,
        now,
      });
      sent += 1;
    }
    return sent;
  });
}

/** The milieu fermé alerts, every hour (idempotent: each alert is sent once). */
export const detentionAlertsJob: ScheduledJob = {
  name: "detention.alerts",
  everySeconds: 3600,
  run: async ({ db, clock }) => {
    const now = clock.now();
    const access = await alertExpiringAccess(db, now);
    const releases = await alertNearReleases(db, now);
    return `${access} alerte(s) d'autorisation, ${releases} alerte(s) de sortie`;
  },
};
