import "./steering.css";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { CallOut } from "@codegouvfr/react-dsfr/CallOut";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { type FormEvent, type ReactNode, useEffect, useMemo, useRef, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { frenchList } from "../../../common/frenchList";
import { MAX_PERTURBATION, PROTECTED_FIGURES_DISAGREE } from "../../../common/reporting/protection";
import { reportingRoutes } from "../../../common/reporting/reporting.routes";
import {
  type Dashboard,
  type DashboardFilters,
  dashboardFiltersSchema,
  type Figure,
  formatValue,
} from "../../../common/reporting/reporting.schema";
import { shortStructureName } from "../../../common/structures/shortStructureName";
import { ApiError, routeUrl } from "../../api/client";
import { useSession } from "../../api/session";
import { ErrorAlert } from "../../components/ErrorAlert";
import { type FieldState, type NativeFieldProps, useFormErrors } from "../../components/form/useFormErrors";
import { usePageTitle } from "../../components/pageTitle";
import { useDownloads } from "../../components/useDownloads";
import { DashboardTableSection } from "./DashboardTableSection";
import { FilterNotes, useDefinition } from "./Definition";
import { FigureSections } from "./FigureSections";
import { filtersFromParams, fitting, paramsOf } from "./filtersInUrl";
import { MonthField } from "./MonthField";
import { NominativeLists } from "./NominativeLists";
import { type SteeringReads, useSteeringReads } from "./steeringReads";
import { TerritoriesSection } from "./TerritoriesSection";

const parisMonth = new Intl.DateTimeFormat("fr-CA", {
  timeZone: "Europe/Paris",
  year: "numeric",
  month: "2-digit",
});

/** This month, "YYYY-MM" (Europe/Paris). */
const thisMonth = (): string => parisMonth.format(new Date()).slice(0, 7);

/** The last twelve months, this one included (Europe/Paris). */
function defaultPeriod(): { from: string; to: string } {
  const to = thisMonth();
  const [year, month] = to.split("-").map(Number) as [number, number];
  const back = new Date(Date.UTC(year, month - 12, 1));
  return { from: back.toISOString().slice(0, 7), to };
}

const filterLabels = {
  from: "Du mois",
  to: "Au mois",
  structureId: "Structure",
  siteId: "Site",
  partnerId: "Partenaire",
  counselorId: "Conseiller",
} as const;

type Draft = Required<{ [K in keyof DashboardFilters]: string }>;

export default function SteeringPage(): ReactNode {
  usePageTitle("Pilotage de l'activité");
  const { structureId } = useSession();
  // The filters shown are the address's: a reload, a shared link, back and forward show the same figures.
  const [params, setParams] = useSearchParams();
  const filters = useMemo(
    () =>
      filtersFromParams(params, {
        ...defaultPeriod(),
        structureId: structureId ?? "",
        siteId: "",
        partnerId: "",
        counselorId: "",
      }),
    [params, structureId],
  );
  const reads = useSteeringReads(filters);
  const query = reads.dashboard;
  const options = reads.choices.data;
  // What the address names and the reader cannot choose (a site or counselor of another structure, in
  // a link sent by a colleague or edited by hand): left out of the form, said above it.
  const fitted = useMemo(
    () => (options ? fitting(filters, options) : { filters, dropped: [] }),
    [filters, options],
  );
  const [draft, setDraft] = useState<Draft>(fitted.filters);
  // Back, forward or a link: the form says what the page shows. Keyed on the values, so the choices
  // arriving after the reader picked a period do not put the form back (only a dropped filter does).
  const fittedKey = JSON.stringify(fitted.filters);
  useEffect(() => setDraft(JSON.parse(fittedKey) as Draft), [fittedKey]);
  const errors = useFormErrors("filters", filterLabels);
  const showApiError = useRef(errors.showApiError);
  showApiError.current = errors.showApiError;
  // A 400 on the filters (a period over five years…) is said under the filters, not as a page error.
  const filtersRefused = query.error instanceof ApiError && query.error.status === 400;
  const unknownFilter =
    query.error instanceof ApiError && query.error.body.code === "reporting.unknownFilter";
  useEffect(() => {
    if (filtersRefused) showApiError.current(query.error);
  }, [filtersRefused, query.error]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    // The choices could not be read (an outage): « Afficher » reads them again, as « Réessayer » does.
    if (reads.choices.isError) void reads.choices.refetch();
    const chosen = Object.fromEntries(Object.entries(draft).filter(([, value]) => value !== ""));
    const next = paramsOf(draft);
    if (errors.check(dashboardFiltersSchema, chosen) && next.toString() !== paramsOf(filters).toString())
      setParams(next);
  };
  // Another structure: a site or counselor of the one before no longer applies and is reset (the
  // counselors are chosen within one structure: all of them, none).
  const set = (key: keyof Draft) => (value: string) =>
    setDraft((d) => {
      const next = { ...d, [key]: value, ...(key === "structureId" && !value ? { counselorId: "" } : {}) };
      return key === "structureId" && options ? fitting(next, options).filters : next;
    });
  const d = query.data;
  const ofStructure = <T extends { structureId: string }>(list: T[] | undefined) =>
    list?.filter((o) => !draft.structureId || o.structureId === draft.structureId);
  const choices: {
    key: keyof Draft;
    label: string;
    all: string;
    options: Option[] | undefined;
    hint?: string;
  }[] = [
    {
      key: "structureId",
      label: "Structure",
      all: "Toutes mes structures",
      // "SPIP 77 – PIMM'S Médiation 77": every structure is a France services one, and on a phone the
      // select then reads whole (the header names the structure in full).
      options: options?.structures.map((s) => ({ ...s, name: shortStructureName(s.name) })),
    },
    {
      key: "siteId",
      label: "Site",
      all: "Tous les sites",
      options: ofStructure(options?.sites),
    },
    {
      key: "partnerId",
      label: "Partenaire",
      all: "Tous les partenaires",
      options: options?.partners,
      hint: "Démarches et orientations seulement",
    },
    {
      key: "counselorId",
      label: "Conseiller",
      all: "Tous les conseillers",
      // Counselors of one structure: the one chosen in the form.
      options: options && (draft.structureId ? ofStructure(options.counselors) : []),
      ...(options && !draft.structureId ? { hint: "Choisissez une structure" } : {}),
    },
  ];
  const misfitNames = fitted.dropped.map((key) => `« ${filterLabels[key]} »`);
  return (
    <>
      <h1>Pilotage de l'activité</h1>
      <p>
        Les chiffres de la structure pour le comité de pilotage, calculés à partir des convocations, visites
        et démarches enregistrées. Ils ne contiennent aucune donnée nominative
        {d?.mayDrillDown
          ? " : seules les listes en bas de page, réservées à la direction, nomment les personnes."
          : "."}
      </p>
      {errors.summary}
      {unknownFilter && (
        // A link naming a site, counselor or structure this reader does not have (sent by a colleague,
        // edited by hand): said before the filters, which stay usable without it, with the way back.
        <Alert
          severity="error"
          small
          className="fr-mb-3w"
          description={
            <>
              {misfitNames.length > 0
                ? `${misfitNames.length > 1 ? "Les filtres" : "Le filtre"} ${frenchList(misfitNames)} de ce lien ne ${misfitNames.length > 1 ? "correspondent" : "correspond"} pas à vos structures ou à la structure choisie : ${misfitNames.length > 1 ? "ils ont été retirés" : "il a été retiré"} du formulaire. Choisissez vos filtres puis « Afficher ».`
                : query.error?.message}{" "}
              <Link to="/pilotage" className="fr-link">
                Afficher le tableau de bord avec les filtres par défaut
              </Link>
            </>
          }
        />
      )}
      {/* Without its choices the form has its selects greyed out: said, with « Réessayer » (fault review). */}
      <ErrorAlert
        error={reads.choices.error}
        title="Les filtres ne peuvent pas être choisis pour l'instant"
      />
      <form onSubmit={submit} aria-label="Filtres du tableau de bord" className="steering-filters" noValidate>
        {(["from", "to"] as const).map((key) => (
          <div key={key}>
            <MonthField
              legend={filterLabels[key]}
              value={draft[key]}
              onChange={set(key)}
              currentYear={Number(thisMonth().slice(0, 4))}
              state={errors.state(key)}
              native={errors.native(key)}
            />
          </div>
        ))}
        {choices.map(({ key, ...choice }) => (
          <Choice
            key={key}
            {...choice}
            value={draft[key]}
            onChange={set(key)}
            state={errors.state(key)}
            native={errors.native(key)}
          />
        ))}
        <div className="steering-filters__submit">
          <Button type="submit">Afficher</Button>
        </div>
      </form>
      <ErrorAlert error={filtersRefused || unknownFilter ? null : query.error} />
      {query.isFetching && <p role="status">Calcul des chiffres…</p>}
      {d && <DashboardBody dashboard={d} filters={filters} reads={reads} />}
    </>
  );
}

type Option = { id: string; name: string };

function Choice(props: {
  label: string;
  all: string;
  value: string;
  options: Option[] | undefined;
  onChange: (value: string) => void;
  hint?: string | undefined;
  state: FieldState;
  native: NativeFieldProps;
}): ReactNode {
  return (
    <div>
      <Select
        label={props.label}
        hint={props.hint}
        disabled={!props.options || props.options.length === 0}
        {...props.state}
        nativeSelectProps={{
          ...props.native,
          value: props.value,
          onChange: (e) => props.onChange(e.target.value),
        }}
      >
        <option value="">{props.all}</option>
        {props.options?.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </Select>
    </div>
  );
}

/** A key figure: its value, its name and "ⓘ" (its definition), and the chosen filters that leave it as is. */
function FigureCard({ figure: f, chosen }: { figure: Figure; chosen: Draft }): ReactNode {
  const definition = useDefinition(f.label, f.definition);
  return (
    <div className="fr-col-12 fr-col-sm-6 fr-col-md-4 fr-col-lg-3">
      <div className="fr-p-2w" style={{ height: "100%", border: "1px solid var(--border-default-grey)" }}>
        <p className="fr-h4 fr-mb-1v" data-figure={f.id}>
          {formatValue(f.value, f.kind)}
        </p>
        <div style={{ display: "flex", alignItems: "flex-start", justifyContent: "space-between" }}>
          <p className="fr-text--sm fr-mb-0">{f.label}</p>
          {definition.button}
        </div>
        {definition.panel}
        <FilterNotes chosen={chosen} item={f} what="figure" />
      </div>
    </div>
  );
}

function DashboardBody({
  dashboard,
  filters,
  reads,
}: {
  dashboard: Dashboard;
  filters: Draft;
  reads: SteeringReads;
}): ReactNode {
  const download = (
    route: typeof reportingRoutes.report | typeof reportingRoutes.exportTables,
    extra: Record<string, string> = {},
  ) => routeUrl(route, { query: { ...filters, ...extra } });
  const downloads: [label: string, priority: string, href: string, fallbackName: string][] = [
    ["Rapport du comité (PDF)", "", download(reportingRoutes.report), "rapport-comite-pilotage.pdf"],
    [
      "Tous les tableaux (XLSX)",
      "fr-btn--secondary",
      download(reportingRoutes.exportTables, { format: "xlsx" }),
      "passerelle-pilotage.xlsx",
    ],
    [
      "Activité France services (XLSX)",
      "fr-btn--secondary",
      download(reportingRoutes.activity, { format: "xlsx" }),
      "passerelle-activite-france-services.xlsx",
    ],
    [
      "Activité France services (CSV)",
      "fr-btn--tertiary",
      download(reportingRoutes.activity, { format: "csv" }),
      "passerelle-activite-france-services.csv",
    ],
  ];
  // The report and the workbooks take a few seconds on a large territory: the page says so.
  const files = useDownloads();
  const empty = dashboard.figures.every((f) => f.value === 0 || f.value === null);
  return (
    <>
      {dashboard.protectedCounts ? (
        <CallOut title="Chiffres protégés" titleAs="h2" className="fr-mt-3w">
          Pour qu'aucune personne ne puisse être reconnue dans un petit site ou un mois calme, même en
          comparant plusieurs tableaux ou périodes, chaque effectif est légèrement modifié (de{" "}
          {MAX_PERTURBATION} au plus, toujours de la même façon) ; les effectifs de 1 à 4 sont affichés
          «&nbsp;&lt;&nbsp;5&nbsp;», et les taux calculés sur moins de 5 «&nbsp;non significatif&nbsp;». Les
          exports et le rapport contiennent les mêmes chiffres.
        </CallOut>
      ) : (
        <Alert
          className="fr-mt-3w"
          severity="info"
          small
          description="Vous dirigez cette structure : les chiffres sont exacts, ici comme dans les exports et le rapport. Ils sont réservés à la direction : le comité de pilotage reçoit des chiffres protégés."
        />
      )}
      <ul className="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left fr-mt-3w">
        {downloads.map(([label, priority, href, name]) => (
          <li key={label}>
            <a
              className={`fr-btn ${priority} fr-icon-download-line`}
              href={href}
              download
              aria-disabled={files.busy === label || undefined}
              onClick={files.onClick(label, name)}
            >
              {label}
            </a>
          </li>
        ))}
      </ul>
      {files.feedback}
      {empty && <p>Aucune activité enregistrée sur cette période et ces filtres.</p>}
      <h2>En bref</h2>
      {dashboard.summary.map((line) => (
        <p key={line}>{line}</p>
      ))}
      {dashboard.protectedCounts && <p className="fr-hint-text">{PROTECTED_FIGURES_DISAGREE}</p>}
      <h2>Chiffres clés</h2>
      <div className="fr-grid-row fr-grid-row--gutters fr-mb-4w">
        {dashboard.figures.map((f) => (
          <FigureCard key={f.id} figure={f} chosen={filters} />
        ))}
      </div>
      {dashboard.options.structures.length > 1 && (
        <TerritoriesSection filters={filters} query={reads.territories} />
      )}
      {dashboard.tables.map((t) => (
        <DashboardTableSection
          key={t.id}
          table={t}
          csvUrl={download(reportingRoutes.exportTables, { format: "csv", table: t.id })}
          chosen={filters}
        />
      ))}
      <FigureSections
        queries={reads.sections}
        csvUrl={(id) => download(reportingRoutes.exportTables, { format: "csv", table: id })}
        chosen={filters}
      />
      {dashboard.mayDrillDown && <NominativeLists filters={filters} />}
    </>
  );
}
