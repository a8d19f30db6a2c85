import { type SQL, sql } from "drizzle-orm";
import { type ActionKind, actionKindLabels, actionKinds } from "../../../../common/actions/actions.schema";
import type { DashboardFilters } from "../../../../common/reporting/reporting.schema";
import type { SectionFigure, SectionFigures } from "../../../../common/reporting/sections.schema";
import { journalFor } from "../../../core/audit";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { type Db, rowsOf } from "../../../db/createDb";
import { renderAuditReason } from "../../audit/auditReason";
import { type ResolvedScope, resolveReportScope } from "../../reporting/policies";
import { count, present } from "../../reporting/rules";

const OF_PERIOD =
  "actions collectives des structures choisies dont le début tombe dans la période, prévues ou tenues (les actions annulées ne comptent pas ; avec un filtre Site, celles tenues sur ce site)";

export const actionFigureKeys = [
  "actions",
  ...actionKinds.map((kind) => `kind_${kind}` as const),
  "peopleConvoked",
  "peoplePresent",
  "partnersInvited",
  "partnersPresent",
  "interviews",
  "hires",
  "iaeOrientations",
] as const;
export type ActionFigureKey = (typeof actionFigureKeys)[number];

const byKind = Object.fromEntries(
  actionKinds.map((kind) => [
    `kind_${kind}`,
    {
      label: `Actions : ${actionKindLabels[kind].replace(/^./, (c) => c.toLowerCase())}`,
      definition: `Parmi les ${OF_PERIOD}, celles de type « ${actionKindLabels[kind]} ».`,
    },
  ]),
) as Record<`kind_${ActionKind}`, { label: string; definition: string }>;

export const actionDefinitions: Record<ActionFigureKey, { label: string; definition: string }> = {
  ...byKind,
  actions: {
    label: "Actions collectives",
    definition: `Nombre d'${OF_PERIOD}, tous types confondus.`,
  },
  peopleConvoked: {
    label: "Personnes convoquées",
    definition: `Convocations de personnes suivies aux ${OF_PERIOD}, sauf celles annulées par le service ; une personne convoquée à deux actions compte deux fois.`,
  },
  peoplePresent: {
    label: "Personnes présentes",
    definition: "Parmi ces convocations, celles notées « honorée » (la personne est venue).",
  },
  partnersInvited: {
    label: "Partenaires invités",
    definition: `Invitations envoyées aux partenaires (contacts de l'annuaire ou adresses saisies) pour les ${OF_PERIOD}, quelle que soit leur réponse.`,
  },
  partnersPresent: {
    label: "Partenaires présents",
    definition: "Parmi ces invitations, celles dont le partenaire a été noté présent au bilan de l'action.",
  },
  interviews: {
    label: "Entretiens tenus (forums emploi)",
    definition: `Somme des entretiens saisis au bilan des ${OF_PERIOD}.`,
  },
  hires: {
    label: "Embauches",
    definition: `Somme des embauches saisies au bilan des ${OF_PERIOD}.`,
  },
  iaeOrientations: {
    label: "Orientations vers l'IAE",
    definition: `Somme des orientations vers l'insertion par l'activité économique saisies au bilan des ${OF_PERIOD}.`,
  },
};

/** The page's route: the figures of the dashboard's scope; the read is journaled per structure. */
export async function actionFigures(
  deps: Deps,
  ctx: RequestContext,
  filters: DashboardFilters,
): Promise<SectionFigures> {
  const scope = await resolveReportScope(deps.db, ctx.actor, filters);
  return deps.db.transaction(async (tx) => {
    const figures = await actionFiguresOf(tx, scope);
    for (const structureId of scope.structureIds)
      await journalFor(tx, ctx, {
        action: "collective_action.figures_read",
        targetType: "structure",
        targetId: structureId,
        structureId,
        reason: renderAuditReason(
          "collective_action.figures_read",
          `${filters.from} – ${filters.to}${scope.protect ? " (protégés)" : " (exacts)"}`,
          () => undefined,
        ),
      });
    return figures;
  });
}

interface Counted {
  n: number;
  k: number;
}
const counted = (n: unknown, k: unknown): Counted => ({ n: Number(n ?? 0), k: Number(k ?? 0) });

/**
 * The collective actions of the scope's months (actions starting in them, cancelled ones left out),
 * over every selected structure: actions by kind, people convoked and present, partners invited and
 * present, forum outcomes. The direction reads exact figures; steering reads them protected with the
 * cell-key method (ADR 0019): each count carries the sum of the record keys of what it counts (for an
 * outcome total, the keys of the actions contributing to it).
 */
export async function actionFiguresOf(db: Db, scope: ResolvedScope): Promise<SectionFigures> {
  const structures = sql.join(
    scope.structureIds.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  // The site filter narrows them to the actions held at that site (the only filter that applies).
  const atSite = scope.siteId ? sql`and site_id = ${scope.siteId}::uuid` : sql``;
  const actions: SQL = sql`select id, kind, outcomes from collective_action
    where structure_id in (${structures}) and status <> 'cancelled' ${atSite}
      and starts_at >= ${scope.fromAt.toISOString()}::timestamptz
      and starts_at < ${scope.untilAt.toISOString()}::timestamptz`;
  const kinds = await rowsOf<{ kind: string; n: number | string; k: number | string }>(
    db,
    sql`select kind, count(*) as n, coalesce(sum(record_key(id)), 0) as k from (${actions}) a group by kind`,
  );
  const [people] = await rowsOf<Record<string, number | string>>(
    db,
    sql`select
        count(*) filter (where c.status <> 'cancelled') as convoked,
        coalesce(sum(record_key(c.id)) filter (where c.status <> 'cancelled'), 0) as convoked_k,
        count(*) filter (where c.status = 'honoured') as present,
        coalesce(sum(record_key(c.id)) filter (where c.status = 'honoured'), 0) as present_k
      from convocation c join (${actions}) a on a.id = c.collective_action_id`,
  );
  const [partners] = await rowsOf<Record<string, number | string>>(
    db,
    sql`select
        count(*) as invited, coalesce(sum(record_key(i.id)), 0) as invited_k,
        count(*) filter (where i.present) as present,
        coalesce(sum(record_key(i.id)) filter (where i.present), 0) as present_k
      from collective_action_invitation i join (${actions}) a on a.id = i.action_id
      where i.cancelled_at is null`,
  );
  const [outcomes] = await rowsOf<Record<string, number | string>>(
    db,
    sql.join(
      [
        sql`select`,
        sql.join(
          (["interviews", "hires", "iaeOrientations"] as const).map(
            (key) => sql`coalesce(sum((outcomes ->> ${key})::int), 0) as ${sql.identifier(key)},
              coalesce(sum(record_key(id)) filter (where coalesce((outcomes ->> ${key})::int, 0) > 0), 0)
                as ${sql.identifier(`${key}_k`)}`,
          ),
          sql`, `,
        ),
        sql`from (${actions}) a`,
      ],
      sql` `,
    ),
  );
  const cells = new Map<ActionFigureKey, Counted>();
  for (const kind of actionKinds) {
    const row = kinds.find((r) => r.kind === kind);
    cells.set(`kind_${kind}`, counted(row?.n, row?.k));
  }
  cells.set(
    "actions",
    kinds.reduce((a, r) => ({ n: a.n + Number(r.n), k: a.k + Number(r.k) }), { n: 0, k: 0 }),
  );
  cells.set("peopleConvoked", counted(people?.convoked, people?.convoked_k));
  cells.set("peoplePresent", counted(people?.present, people?.present_k));
  cells.set("partnersInvited", counted(partners?.invited, partners?.invited_k));
  cells.set("partnersPresent", counted(partners?.present, partners?.present_k));
  for (const key of ["interviews", "hires", "iaeOrientations"] as const)
    cells.set(key, counted(outcomes?.[key], outcomes?.[`${key}_k`]));
  const figure = (key: ActionFigureKey): SectionFigure => {
    const cell = cells.get(key) ?? { n: 0, k: 0 };
    return {
      key,
      ...actionDefinitions[key],
      value: present(count(cell.n, cell.k), scope.protect),
      kind: "count",
    };
  };
  return { protected: scope.protect, figures: actionFigureKeys.map(figure) };
}
