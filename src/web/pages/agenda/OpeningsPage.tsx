import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useEffect, useId, useState } from "react";
import { Link } from "react-router";
import { agendaRoutes } from "../../../common/agenda/agenda.routes";
import {
  absenceBodySchema,
  closureBodySchema,
  endRuleBodySchema,
  type OpeningRuleView,
  type Openings,
  openingRuleFormSchema,
  type StrandedQuery,
} from "../../../common/agenda/agenda.schema";
import { monthsTouched } from "../../../common/agenda/monthsTouched";
import { permanenceDay } from "../../../common/agenda/permanenceDay";
import { weekdayNames } from "../../../common/dateFormat";
import { ofName, ofPlace } from "../../../common/placeName";
import { capitalize, plural } from "../../../common/plural";
import { structuresRoutes } from "../../../common/structures/structures.routes";
import { call } from "../../api/client";
import { useRecordId } from "../../api/requestId";
import { useSession } from "../../api/session";
import { useMutation } from "../../api/useMutation";
import { ConfirmBox } from "../../components/ConfirmBox";
import {
  DATE_HINT,
  DATE_TIME_HINT,
  formatDate,
  formatDateTime,
  formatDay,
  formatDuration,
  formatTime,
  formatTimeOfDay,
  parisDayOf,
} from "../../components/dates";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useFormErrors } from "../../components/form/useFormErrors";
import { usePageTitle } from "../../components/pageTitle";
import { ScrollableTable } from "../../components/ScrollableTable";
import { SuccessNotice } from "../../components/SuccessNotice";
import { useSettled } from "../../components/useSettled";
import { useStepFocus } from "../../components/useStepFocus";
import { ChangeRuleForm } from "./ChangeRuleForm";
import { poolOptions } from "./poolOptions";

const openingLabels = {
  siteId: "Lieu",
  weekday: "Jour",
  onDate: "Date",
  validFrom: "À partir du",
  startTime: "Début",
  endTime: "Fin",
  slotMinutes: "Durée d'un rendez-vous",
  bufferMinutes: "Battement entre deux",
  counselorIds: "Conseillers présents",
} as const;

function useInvalidateOpenings(structureId: string) {
  const queryClient = useQueryClient();
  return async () => {
    await queryClient.invalidateQueries({ queryKey: ["openings", structureId] });
    await queryClient.invalidateQueries({ queryKey: ["slots"] });
  };
}

/**
 * Before the direction confirms a stop, a closure or an absence: how many planned convocations it
 * would strand, each with a link to reschedule it (ADR 0016 addendum). `query` is null until the
 * form's fields are valid; nothing is saved by asking.
 */
function StrandedPreview({
  structureId,
  query,
}: {
  structureId: string;
  query: StrandedQuery | null;
}): ReactNode {
  const asked = useSettled(query);
  const preview = useQuery({
    queryKey: ["stranded", structureId, asked],
    queryFn: () => call(agendaRoutes.strandedPreview, { params: { structureId }, query: asked ?? {} }),
    enabled: asked !== null,
  });
  const found = query && asked ? preview.data?.convocations : undefined;
  const actions = query && asked ? (preview.data?.actions ?? []) : [];
  return (
    <div aria-live="polite" className="fr-mb-2w">
      {actions.length > 0 && (
        <Alert
          severity="warning"
          small
          className="fr-mb-1w"
          description={
            <>
              {plural(
                actions.length,
                "action collective prévue tombe",
                "actions collectives prévues tombent",
              )}{" "}
              dans cette fermeture :{" "}
              {actions.length === 1 ? "déplacez-la ou annulez-la" : "déplacez-les ou annulez-les"} d'abord,
              sinon l'enregistrement sera refusé.
              <ul className="fr-mt-1w">
                {actions.map((a) => (
                  <li key={a.id}>
                    <Link to={`/actions/${a.id}`}>{a.title}</Link> — {formatDateTime(a.startsAt)},{" "}
                    {a.siteName}
                  </li>
                ))}
              </ul>
            </>
          }
        />
      )}
      {found &&
        (found.length === 0 ? (
          <p className="fr-text--sm fr-mb-1w">Aucune convocation prévue ne serait touchée.</p>
        ) : (
          <Alert
            severity="warning"
            small
            description={
              <>
                {plural(
                  found.length,
                  "convocation prévue serait touchée",
                  "convocations prévues seraient touchées",
                )}{" "}
                : {found.length === 1 ? "reprogrammez-la" : "reprogrammez-les"} d'abord, sinon
                l'enregistrement sera refusé.
                <ul className="fr-mt-1w">
                  {found.map((c) => (
                    <li key={c.id}>
                      {c.personName} — {formatDateTime(c.startsAt)}, {c.siteName}
                      {c.counselorName ? ` (CPIP ${c.counselorName})` : ""} :{" "}
                      <Link to={`/personnes/${c.personId}/convocations/${c.id}/reporter`}>
                        reprogrammer<span className="fr-sr-only"> la convocation {ofName(c.personName)}</span>
                      </Link>
                    </li>
                  ))}
                </ul>
              </>
            }
          />
        ))}
    </div>
  );
}

const endLabels = { lastDay: "Dernier jour de la permanence" } as const;

/**
 * "la permanence de Meaux, chaque mardi, 9 h 00 – 12 h 30": what a row's buttons act on, for those
 * who list the page's buttons (every row has a "Modifier…" and an "Arrêter…").
 */
function ruleWords(r: OpeningRuleView): string {
  return `la permanence ${ofPlace(r.siteName)}, ${permanenceDay(r)}, ${formatTimeOfDay(r.startTime)} – ${formatTimeOfDay(r.endTime)}`;
}

/**
 * Stops a permanence after a day. The server refuses it while planned convocations after that day
 * need it (ADR 0016) and lists them (person, time, CPIP): the message shows under the day.
 */
function EndRule({
  structureId,
  rule,
  onEnded,
}: {
  structureId: string;
  rule: OpeningRuleView;
  onEnded: (lastDay: string) => void;
}): ReactNode {
  const [lastDay, setLastDay] = useState("");
  const [confirming, setConfirming] = useState(false);
  const invalidate = useInvalidateOpenings(structureId);
  const cancel = () => {
    errors.clear();
    setConfirming(false);
  };
  // Each step replaces the buttons just used: the focus goes to the form's day, and back to
  // "Arrêter…" after "Annuler" or Échap (useStepFocus), not to the page's body.
  const step = useStepFocus(confirming, confirming ? cancel : undefined);
  const errors = useFormErrors(`end-${rule.id}`, endLabels, {
    "convocation.ruleEndStrandsBookings": "lastDay",
    "convocation.ruleEndInPast": "lastDay",
  });
  const end = useMutation({
    mutationFn: () =>
      call(agendaRoutes.endRule, { params: { structureId, ruleId: rule.id }, body: { lastDay } }),
    onSuccess: async () => {
      errors.clear();
      // The page's notice takes the focus.
      step.quiet();
      setConfirming(false);
      onEnded(lastDay);
      setLastDay("");
      await invalidate();
    },
    onError: errors.showApiError,
  });
  if (!confirming) {
    return (
      <div ref={step.box}>
        <Button size="small" priority="secondary" onClick={step.opens(() => setConfirming(true))}>
          Arrêter…<span className="fr-sr-only"> {ruleWords(rule)}</span>
        </Button>
      </div>
    );
  }
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (errors.check(endRuleBodySchema, { lastDay })) end.mutate();
  };
  const asked = endRuleBodySchema.safeParse({ lastDay }).success ? { ruleId: rule.id, lastDay } : null;
  return (
    <div ref={step.box}>
      <form onSubmit={submit} noValidate aria-label={`Arrêter la permanence ${ofPlace(rule.siteName)}`}>
        {errors.summary}
        <Input
          label={endLabels.lastDay}
          hintText={`${DATE_HINT}. Refusé tant que des convocations prévues après ce jour en dépendent : reprogrammez-les d'abord.`}
          {...errors.state("lastDay")}
          nativeInputProps={{
            type: "date",
            ...errors.native("lastDay"),
            value: lastDay,
            onChange: (e) => setLastDay(e.target.value),
          }}
        />
        <StrandedPreview structureId={structureId} query={asked} />
        <Button size="small" type="submit" disabled={end.isPending} className="fr-mr-1w">
          Confirmer l'arrêt
        </Button>
        <Button size="small" type="button" priority="tertiary" onClick={cancel}>
          Annuler
        </Button>
      </form>
    </div>
  );
}

/** The "Ajouter une permanence" form's values when it opens, and again once a permanence is added. */
function blankRule() {
  return {
    siteId: "",
    weekday: "1",
    onDate: "",
    startTime: "09:00",
    endTime: "12:30",
    slotMinutes: "45",
    bufferMinutes: "15",
    validFrom: parisDayOf(),
    validTo: "",
  };
}

function AddRule({
  structureId,
  counselors,
}: {
  structureId: string;
  counselors: Openings["counselors"];
}): ReactNode {
  const overview = useQuery({
    queryKey: ["structure", structureId],
    queryFn: () => call(structuresRoutes.overview, { params: { structureId } }),
  });
  const [form, setForm] = useState(blankRule);
  const [pool, setPool] = useState<string[]>([]);
  const invalidate = useInvalidateOpenings(structureId);
  const errors = useFormErrors("opening", openingLabels, {}, "Permanence non ajoutée");
  const body = () => ({
    siteId: form.siteId,
    weekday: form.weekday === "once" ? null : Number(form.weekday),
    onDate: form.weekday === "once" ? form.onDate : null,
    startTime: form.startTime,
    endTime: form.endTime,
    slotMinutes: Number(form.slotMinutes),
    bufferMinutes: Number(form.bufferMinutes),
    validFrom: form.weekday === "once" ? form.onDate : form.validFrom,
    validTo: form.weekday === "once" ? form.onDate : form.validTo || null,
    counselorIds: pool,
  });
  const add = useMutation({
    mutationFn: () => call(agendaRoutes.addRule, { params: { structureId }, body: body() }),
    // Emptied once added (the notice stays): submitting the same values again would only be refused
    // as overlapping. No record id here: a resent rule is refused as overlapping itself.
    onSuccess: async () => {
      setForm(blankRule());
      setPool([]);
      await invalidate();
    },
    onError: errors.showApiError,
  });
  const field = (key: keyof typeof form & keyof typeof openingLabels) => ({
    ...errors.native(key),
    value: form[key],
    onChange: (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.reset();
    if (errors.check(openingRuleFormSchema(parisDayOf()), body())) add.mutate();
  };
  return (
    <form onSubmit={submit} aria-label="Ajouter une permanence" className="fr-mb-6w" noValidate>
      <h2>Ajouter une permanence</h2>
      {add.isSuccess && <SuccessNotice message="Permanence ajoutée." />}
      {errors.summary}
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-md-4">
          <Select
            label="Lieu"
            {...errors.state("siteId")}
            nativeSelectProps={{ ...field("siteId"), required: true }}
          >
            <option value="">Choisir un lieu</option>
            {overview.data?.sites.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </Select>
        </div>
        <div className="fr-col-12 fr-col-md-4">
          <Select label="Jour" {...errors.state("weekday")} nativeSelectProps={field("weekday")}>
            {weekdayNames.map((d, i) => (
              <option key={d} value={String(i + 1)}>
                Chaque {d}
              </option>
            ))}
            <option value="once">Ouverture ponctuelle (une date)</option>
          </Select>
        </div>
        <div className="fr-col-12 fr-col-md-4">
          {form.weekday === "once" ? (
            <Input
              label="Date"
              hintText={DATE_HINT}
              {...errors.state("onDate")}
              nativeInputProps={{ type: "date", min: parisDayOf(), ...field("onDate"), required: true }}
            />
          ) : (
            <Input
              label="À partir du"
              hintText={DATE_HINT}
              {...errors.state("validFrom")}
              nativeInputProps={{ type: "date", min: parisDayOf(), ...field("validFrom"), required: true }}
            />
          )}
        </div>
        <div className="fr-col-6 fr-col-md-3">
          <Input
            label="Début"
            {...errors.state("startTime")}
            nativeInputProps={{ type: "time", ...field("startTime"), required: true }}
          />
        </div>
        <div className="fr-col-6 fr-col-md-3">
          <Input
            label="Fin"
            {...errors.state("endTime")}
            nativeInputProps={{ type: "time", ...field("endTime"), required: true }}
          />
        </div>
        <div className="fr-col-6 fr-col-md-3">
          <Input
            label="Durée d'un rendez-vous (min)"
            {...errors.state("slotMinutes")}
            nativeInputProps={{ type: "number", min: 10, ...field("slotMinutes") }}
          />
        </div>
        <div className="fr-col-6 fr-col-md-3">
          <Input
            label="Battement entre deux (min)"
            {...errors.state("bufferMinutes")}
            nativeInputProps={{ type: "number", min: 0, ...field("bufferMinutes") }}
          />
        </div>
      </div>
      <Checkbox
        legend="Conseillers présents en même temps (capacité de chaque créneau)"
        {...errors.state("counselorIds")}
        id={errors.native("counselorIds").id}
        options={poolOptions(counselors, pool, setPool)}
        // A new structure has no counselor yet: the form says where they come from.
        {...(counselors.length === 0
          ? {
              hintText: (
                <>
                  Aucun conseiller dans la structure pour l'instant : ajoutez d'abord les conseillers France
                  services (et les CPIP qui tiennent des permanences) depuis la page{" "}
                  <Link to="/agents">Agents</Link>.
                </>
              ),
            }
          : {})}
      />
      <Button type="submit" disabled={add.isPending}>
        Ajouter la permanence
      </Button>
    </form>
  );
}

function WeekPreview({ structureId }: { structureId: string }): ReactNode {
  const slots = useQuery({
    queryKey: ["slots", structureId, "preview"],
    queryFn: () => call(agendaRoutes.slots, { params: { structureId }, query: { days: 7 } }),
  });
  if (!slots.data) return <ErrorAlert error={slots.error} />;
  const rows = new Map<string, string[]>();
  for (const s of slots.data.slots) {
    const key = `${formatDay(s.startsAt)}|${s.siteName}`;
    rows.set(key, [...(rows.get(key) ?? []), `${formatTime(s.startsAt)} (${s.free}/${s.capacity})`]);
  }
  return (
    <section className="fr-mb-6w">
      <h2>Aperçu des sept prochains jours</h2>
      {rows.size === 0 ? (
        <p>Aucun créneau libre dans les sept prochains jours.</p>
      ) : (
        <ScrollableTable
          stacked
          caption="Créneaux libres (places libres / capacité)"
          headers={["Jour", "Lieu", "Créneaux"]}
          data={[...rows.entries()].map(([key, times]) => [...key.split("|"), times.join(", ")])}
        />
      )}
    </section>
  );
}

const periodLabels = {
  closure: { siteId: "Lieu", startsAt: "Du", endsAt: "Au", reason: "Motif (facultatif)" },
  absence: { userId: "Conseiller", startsAt: "Du", endsAt: "Au", reason: "Motif (facultatif)" },
} as const;

/**
 * A site closure or a counselor's absence. Refused by the server while planned convocations would
 * lose their slot (ADR 0016), each listed: the direction has them rescheduled first.
 */
function PeriodForm({
  structureId,
  kind,
  choices,
  lifted,
  onSaved,
}: {
  structureId: string;
  kind: "closure" | "absence";
  choices: { id: string; name: string }[];
  /** The page's last "… est annulée." notice: a new one outdates this form's "… enregistrée". */
  lifted: string | null;
  onSaved: () => void;
}): ReactNode {
  const [target, setTarget] = useState("");
  const [startsAt, setStartsAt] = useState("");
  const [endsAt, setEndsAt] = useState("");
  const [reason, setReason] = useState("");
  const [saved, setSaved] = useState<string | null>(null);
  // A period starting before now is confirmed first: it changes the hours held of its months.
  const [pastAsked, setPastAsked] = useState<string | null>(null);
  const [liftSeen, setLiftSeen] = useState(lifted);
  if (lifted !== liftSeen) {
    setLiftSeen(lifted);
    if (lifted) setSaved(null);
  }
  const invalidate = useInvalidateOpenings(structureId);
  const targetKey = kind === "closure" ? "siteId" : "userId";
  const fieldLabels: Record<string, string> = periodLabels[kind];
  const errors = useFormErrors<string>(
    kind,
    fieldLabels,
    {
      [`convocation.${kind}StrandsBookings`]: "startsAt",
      [`convocation.${kind}Overlaps`]: "startsAt",
      "convocation.periodTooOld": "startsAt",
      "convocation.periodTooFar": "startsAt",
    },
    kind === "closure" ? "Fermeture non enregistrée" : "Absence non enregistrée",
  );
  const toIso = (local: string) => {
    const at = new Date(local);
    return local && !Number.isNaN(at.getTime()) ? at.toISOString() : "";
  };
  const body = () => ({ [targetKey]: target, startsAt: toIso(startsAt), endsAt: toIso(endsAt), reason });
  // The new period's id, kept until it is saved: sending again after a lost answer is safe (ADR 0036).
  const record = useRecordId(["openings", structureId], ["slots"]);
  // The values sent travel with the request: sent twice (a double click), the second answer must
  // not read the fields the first one emptied (an invalid date threw, shown as "server not answering").
  type Sent = { id: string; target: string; startsAt: string; endsAt: string; reason: string };
  const save = useMutation({
    mutationFn: ({ id, target, ...period }: Sent) =>
      kind === "closure"
        ? call(agendaRoutes.addClosure, { params: { structureId }, body: { id, siteId: target, ...period } })
        : call(agendaRoutes.addAbsence, { params: { structureId }, body: { id, userId: target, ...period } }),
    onSuccess: async (_, sent) => {
      errors.clear();
      const name = choices.find((c) => c.id === sent.target)?.name ?? "";
      const period = `du ${formatDateTime(sent.startsAt)} au ${formatDateTime(sent.endsAt)}`;
      setSaved(
        `${kind === "closure" ? `Fermeture ${ofPlace(name)}` : `Absence ${ofName(name)}`} enregistrée ${period} : ${
          Date.parse(sent.startsAt) < Date.now()
            ? `les heures d'ouverture tenues de ${monthsTouched(sent.startsAt, sent.endsAt)} en tiennent compte${Date.parse(sent.endsAt) > Date.now() ? " ; aucune convocation prévue n'était concernée" : ""}.`
            : "aucune convocation prévue n'était concernée."
        }`,
      );
      setTarget("");
      setStartsAt("");
      setEndsAt("");
      setReason("");
      record.saved();
      onSaved();
      await invalidate();
    },
    onError: async (error) => {
      errors.showApiError(error);
      await record.failed(error);
    },
  });
  const send = () => {
    setPastAsked(null);
    save.mutate({ id: record.id, target, startsAt: toIso(startsAt), endsAt: toIso(endsAt), reason });
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(null);
    if (!errors.check(kind === "closure" ? closureBodySchema : absenceBodySchema, body())) return;
    if (Date.parse(toIso(startsAt)) < Date.now()) setPastAsked(`${startsAt}|${endsAt}`);
    else send();
  };
  const askingPast = pastAsked === `${startsAt}|${endsAt}` && pastAsked !== null;
  const title = kind === "closure" ? "Fermer un lieu" : "Déclarer une absence";
  const period = { startsAt: toIso(startsAt), endsAt: toIso(endsAt) };
  const asked = (kind === "closure" ? closureBodySchema : absenceBodySchema).safeParse(body()).success
    ? { [targetKey]: target, ...period }
    : null;
  return (
    <form onSubmit={submit} aria-label={title} className="fr-col-12 fr-col-md-6" noValidate>
      <h3>{title}</h3>
      <p className="fr-hint-text">
        Refusé tant que des convocations prévues tombent dans la période : leur nombre s'affiche avant
        l'enregistrement, avec un lien pour reprogrammer chacune.
      </p>
      {/* The submit button, disabled while saving, dropped the focus: the notice takes it. */}
      {saved && <SuccessNotice message={saved} />}
      {errors.summary}
      <Select
        label={fieldLabels[targetKey]}
        {...errors.state(targetKey)}
        nativeSelectProps={{
          ...errors.native(targetKey),
          value: target,
          onChange: (e) => setTarget(e.target.value),
        }}
      >
        <option value="">Choisir</option>
        {choices.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </Select>
      <Input
        label="Du"
        hintText={DATE_TIME_HINT}
        {...errors.state("startsAt")}
        nativeInputProps={{
          type: "datetime-local",
          ...errors.native("startsAt"),
          value: startsAt,
          onChange: (e) => setStartsAt(e.target.value),
        }}
      />
      <Input
        label="Au"
        hintText={DATE_TIME_HINT}
        {...errors.state("endsAt")}
        nativeInputProps={{
          type: "datetime-local",
          ...errors.native("endsAt"),
          value: endsAt,
          onChange: (e) => setEndsAt(e.target.value),
        }}
      />
      <Input
        label="Motif (facultatif)"
        {...errors.state("reason")}
        nativeInputProps={{
          ...errors.native("reason"),
          value: reason,
          onChange: (e) => setReason(e.target.value),
        }}
      />
      <StrandedPreview structureId={structureId} query={asked} />
      {askingPast ? (
        <ConfirmBox
          small
          title={`${kind === "closure" ? "Cette fermeture" : "Cette absence"} commence dans le passé`}
          confirmLabel="Enregistrer quand même"
          keepLabel="Revoir les dates"
          onConfirm={send}
          onKeep={() => setPastAsked(null)}
          busy={save.isPending}
          error={null}
        >
          <p className="fr-text--sm fr-mb-0">
            Elle change les heures d'ouverture tenues de {monthsTouched(toIso(startsAt), toIso(endsAt))}{" "}
            (tableau de bord, rapport du comité, export d'activité). Enregistrez-la si elle a bien eu lieu :
            elle restera dans la liste des fermetures et absences passées pendant trois mois.
          </p>
        </ConfirmBox>
      ) : (
        <Button type="submit" priority="secondary" disabled={save.isPending}>
          Enregistrer
        </Button>
      )}
    </form>
  );
}

type Period = Openings["closures"][number] & { kind: "closure" | "absence" };

/**
 * Lifts a closure or an absence (entered by mistake, or no longer needed), after a confirmation: one
 * to come is removed; one already started ends tonight, the days gone by keep it (ADR 0016).
 */
function LiftPeriod({
  structureId,
  period,
  onLifted,
  past = false,
}: {
  structureId: string;
  period: Period;
  onLifted: (what: string) => void;
  /** Over: removed whole, its past days included (recorded by mistake after the fact). */
  past?: boolean;
}): ReactNode {
  const [confirming, setConfirming] = useState(false);
  const invalidate = useInvalidateOpenings(structureId);
  // Each step replaces the buttons just used: the focus goes to the other step's first button
  // (the confirmation, or back to "Annuler…" after "Garder" or Échap), not to the page's body.
  const step = useStepFocus(confirming, confirming ? () => setConfirming(false) : undefined);
  const started = period.started;
  // The confirmation, focused when drawn, is described by what it does: removed, or lifted from today.
  const consequence = useId();
  const what = `${period.kind === "closure" ? "la fermeture de" : "l'absence de"} ${period.label}`;
  const lift = useMutation({
    mutationFn: () =>
      period.kind === "closure"
        ? call(agendaRoutes.liftClosure, {
            params: { structureId, closureId: period.id },
            query: past ? { past: "true" } : {},
          })
        : call(agendaRoutes.liftAbsence, {
            params: { structureId, absenceId: period.id },
            query: past ? { past: "true" } : {},
          }),
    onSuccess: async () => {
      onLifted(
        past
          ? `${capitalize(what)} du ${formatDateTime(period.startsAt)} est supprimée ; les heures d'ouverture tenues de ${monthsTouched(period.startsAt, period.endsAt)} sont recomptées sans elle.`
          : started
            ? `${capitalize(what)} est levée à partir d'aujourd'hui ; les jours passés restent inchangés.`
            : `${capitalize(what)} du ${formatDateTime(period.startsAt)} est annulée.`,
      );
      await invalidate();
    },
    onError: () => invalidate(),
  });
  // The confirmation button, disabled while sending, dropped the focus: it gets it back, under the error.
  const { box } = step;
  useEffect(() => {
    if (lift.error) box.current?.querySelector<HTMLButtonElement>("button:not([disabled])")?.focus();
  }, [lift.error, box]);
  if (!confirming)
    return (
      <div ref={step.box}>
        <Button size="small" priority="secondary" onClick={step.opens(() => setConfirming(true))}>
          {past ? "Supprimer…" : started ? "Lever dès aujourd'hui…" : "Annuler…"}
          <span className="fr-sr-only"> {what}</span>
        </Button>
      </div>
    );
  return (
    <div ref={step.box}>
      <p id={consequence} className="fr-text--sm fr-mb-1w">
        {past
          ? `La période est retirée, jours passés compris : les heures d'ouverture tenues de ${monthsTouched(period.startsAt, period.endsAt)} sont recomptées sans elle.`
          : started
            ? "Les créneaux rouvrent à partir d'aujourd'hui ; les jours passés restent fermés."
            : "La période est retirée et ses créneaux rouvrent."}
      </p>
      {lift.error && <ErrorAlert error={lift.error} />}
      <Button
        size="small"
        className="fr-mr-1w"
        disabled={lift.isPending}
        onClick={() => lift.mutate()}
        nativeButtonProps={{ "aria-describedby": consequence }}
      >
        {past ? "Confirmer la suppression" : started ? "Confirmer la levée" : "Confirmer l'annulation"}
      </Button>
      <Button size="small" priority="tertiary" onClick={() => setConfirming(false)}>
        Garder
      </Button>
    </div>
  );
}

/** The direction's permanences editor: rules, closures, absences, weekly total and a preview. */
export function OpeningsPage(): ReactNode {
  usePageTitle("Permanences");
  const { structureId } = useSession();
  const id = structureId ?? "";
  const openings = useQuery({
    queryKey: ["openings", id],
    queryFn: () => call(agendaRoutes.openings, { params: { structureId: id } }),
  });
  const overview = useQuery({
    queryKey: ["structure", id],
    queryFn: () => call(structuresRoutes.overview, { params: { structureId: id } }),
  });
  const [editing, setEditing] = useState<string | null>(null);
  const [changedFrom, setChangedFrom] = useState<string | null>(null);
  const [ended, setEnded] = useState<{ site: string; lastDay: string } | null>(null);
  const [lifted, setLifted] = useState<string | null>(null);
  if (!openings.data) return <ErrorAlert error={openings.error} />;
  const o = openings.data;
  const edited = o.rules.find((r) => r.id === editing);
  return (
    <>
      <h1>Permanences</h1>
      <p className="fr-text--lead">
        Ouverture hebdomadaire de la structure : <strong>{formatDuration(o.weeklyOpeningMinutes)}</strong>
      </p>
      <p>
        Les créneaux sont calculés à partir de ces règles : modifier une permanence à partir d'une date ne
        change ni les jours précédents ni les convocations déjà prises. Les lieux eux-mêmes (adresse, accès,
        téléphone) se modifient depuis <Link to="/structure">Structure et lieux</Link>.
      </p>
      {/* The form or the row's buttons just used are gone: the notice takes the focus. */}
      {changedFrom && (
        <SuccessNotice
          message={`Permanence modifiée : les nouveaux horaires s'appliquent à partir du ${formatDate(changedFrom)} ; les jours précédents sont inchangés.`}
        />
      )}
      {ended && (
        <SuccessNotice
          message={`Permanence ${ofPlace(ended.site)} arrêtée : dernier jour le ${formatDate(ended.lastDay)}. Aucune convocation prévue n'en dépendait.`}
        />
      )}
      {o.rules.length === 0 ? (
        <p>
          Aucune permanence n'est ouverte pour l'instant : ajoutez la première ci-dessous. Les CPIP ne peuvent
          convoquer qu'aux créneaux des permanences.
        </p>
      ) : (
        <ScrollableTable
          stacked
          caption="Permanences en vigueur ou à venir"
          headers={["Lieu", "Jour", "Horaires", "Rendez-vous", "Conseillers", "Validité", "Actions"]}
          data={o.rules.map((r) => [
            r.siteName,
            capitalize(permanenceDay(r)),
            // Hours and durations on one line each: "9 h 00 – / 12 h 30" read badly in a wide table.
            <span key="hours" className="pa-nowrap">
              {formatTimeOfDay(r.startTime)} – {formatTimeOfDay(r.endTime)}
            </span>,
            <span key="slot" className="pa-nowrap">
              {formatDuration(r.slotMinutes)} + {formatDuration(r.bufferMinutes)}
            </span>,
            r.counselors.map((c) => c.name).join(", "),
            r.weekday
              ? `du ${formatDate(r.validFrom)}${r.validTo ? ` au ${formatDate(r.validTo)}` : ""}`
              : "—",
            <ul key={r.id} className="fr-btns-group fr-btns-group--inline fr-btns-group--sm">
              {r.weekday !== null && (
                <li>
                  <Button
                    size="small"
                    priority="secondary"
                    onClick={() => {
                      setChangedFrom(null);
                      setEnded(null);
                      setEditing(r.id);
                    }}
                  >
                    Modifier…<span className="fr-sr-only"> {ruleWords(r)}</span>
                  </Button>
                </li>
              )}
              <li>
                <EndRule
                  structureId={id}
                  rule={r}
                  onEnded={(lastDay) => {
                    setChangedFrom(null);
                    setEnded({ site: r.siteName, lastDay });
                  }}
                />
              </li>
            </ul>,
          ])}
        />
      )}
      {edited && (
        <ChangeRuleForm
          key={edited.id}
          structureId={id}
          rule={edited}
          counselors={o.counselors}
          onClose={() => setEditing(null)}
          onChanged={(effectiveFrom) => {
            setEditing(null);
            setChangedFrom(effectiveFrom);
          }}
        />
      )}
      <WeekPreview structureId={id} />
      <AddRule structureId={id} counselors={o.counselors} />
      <h2>Fermetures et absences en cours ou à venir</h2>
      {/* The lifted row is gone with its buttons: the notice takes the focus and is announced. */}
      {lifted && <SuccessNotice message={lifted} />}
      {o.closures.length + o.absences.length === 0 ? (
        <p>Aucune fermeture ni absence prévue.</p>
      ) : (
        <ScrollableTable
          stacked
          // The heading above says it: the caption names the table for screen readers only (DSFR).
          caption="Fermetures de lieux et absences de conseillers, en cours ou à venir"
          noCaption
          headers={["Lieu ou conseiller", "Du", "Au", "Motif", "Action"]}
          data={[
            ...o.closures.map((p) => ({ ...p, kind: "closure" as const })),
            ...o.absences.map((p) => ({ ...p, kind: "absence" as const })),
          ].map((p) => [
            p.label,
            formatDateTime(p.startsAt),
            formatDateTime(p.endsAt),
            p.reason || "—",
            <LiftPeriod key={p.id} structureId={id} period={p} onLifted={setLifted} />,
          ])}
        />
      )}
      <h2>Fermetures et absences passées (trois derniers mois)</h2>
      {o.pastClosures.length + o.pastAbsences.length === 0 ? (
        <p>Aucune fermeture ni absence terminée ces trois derniers mois.</p>
      ) : (
        <ScrollableTable
          stacked
          caption="Fermetures de lieux et absences de conseillers terminées ces trois derniers mois"
          noCaption
          headers={["Lieu ou conseiller", "Du", "Au", "Motif", "Action"]}
          data={[
            ...o.pastClosures.map((p) => ({ ...p, kind: "closure" as const })),
            ...o.pastAbsences.map((p) => ({ ...p, kind: "absence" as const })),
          ]
            .sort((a, b) => b.startsAt.localeCompare(a.startsAt))
            .map((p) => [
              p.label,
              formatDateTime(p.startsAt),
              formatDateTime(p.endsAt),
              p.reason || "—",
              <LiftPeriod key={p.id} structureId={id} period={p} onLifted={setLifted} past />,
            ])}
        />
      )}
      <div className="fr-grid-row fr-grid-row--gutters">
        {/* Only the last change keeps its notice: a closure saved after a lift, or lifted after one is saved. */}
        <PeriodForm
          structureId={id}
          kind="closure"
          choices={overview.data?.sites ?? []}
          lifted={lifted}
          onSaved={() => setLifted(null)}
        />
        <PeriodForm
          structureId={id}
          kind="absence"
          choices={o.counselors}
          lifted={lifted}
          onSaved={() => setLifted(null)}
        />
      </div>
    </>
  );
}
