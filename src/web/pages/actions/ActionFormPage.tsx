import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { RadioButtons } from "@codegouvfr/react-dsfr/RadioButtons";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useQuery } from "@tanstack/react-query";
import { type ReactNode, useEffect, useState } from "react";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import { actionsRoutes } from "../../../common/actions/actions.routes";
import {
  type ActionKind,
  actionBodySchema,
  actionKindLabels,
  actionKinds,
  directionOnlyKinds,
  editedDayIssue,
  newActionBodySchemaOn,
} from "../../../common/actions/actions.schema";
import { parisDay } from "../../../common/calendar";
import { ApiError, call } from "../../api/client";
import { useRecordId } from "../../api/requestId";
import { useSession } from "../../api/session";
import { useMutation } from "../../api/useMutation";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useFormErrors } from "../../components/form/useFormErrors";
import { usePageTitle } from "../../components/pageTitle";
import { withLengthHint } from "../../components/wording";
import { DayAndTimesFields } from "./DayAndTimesFields";
import { LocalPartnersFields } from "./LocalPartnersFields";

const labels = {
  kind: "Type d'action",
  status: "Statut",
  title: "Intitulé",
  theme: "Thème",
  day: "Date",
  startTime: "Heure de début",
  endTime: "Heure de fin",
  siteId: "Lieu de la structure",
  address: "Adresse extérieure",
  capacity: "Capacité (places pour les personnes convoquées)",
  organiserIds: "Organisateurs",
  hostEntryId: "Locaux prêtés par",
  cofunderEntryIds: "Cofinanceurs",
  description: "Description",
} as const;

interface Form {
  kind: ActionKind | "";
  /** Chosen at creation only: an action to come, or one that already took place. */
  status: "planned" | "held";
  title: string;
  theme: string;
  day: string;
  startTime: string;
  endTime: string;
  where: "site" | "address";
  siteId: string;
  address: string;
  capacity: string;
  organiserIds: string[];
  hostEntryId: string;
  cofunderEntryIds: string[];
  description: string;
}

const empty: Form = {
  kind: "",
  status: "planned",
  title: "",
  theme: "",
  day: "",
  startTime: "",
  endTime: "",
  where: "site",
  siteId: "",
  address: "",
  capacity: "",
  organiserIds: [],
  hostEntryId: "",
  cofunderEntryIds: [],
  description: "",
};

/** Create or edit a collective action: Paris date and times, a site or an outside address. */
export function ActionFormPage(): ReactNode {
  const { actionId } = useParams();
  usePageTitle(actionId ? "Modifier l'action collective" : "Organiser une action collective");
  const { structureId, roles } = useSession();
  // The steering committee is convened by the direction only.
  const kinds = actionKinds.filter(
    (k) => roles.includes("service_manager") || !directionOnlyKinds.includes(k),
  );
  const navigate = useNavigate();
  // "?type=steering_committee" (the home's "Convoquer le comité de pilotage") chooses the kind.
  const [search] = useSearchParams();
  const asked = kinds.find((k) => k === search.get("type"));
  const [form, setForm] = useState<Form>(asked ? { ...empty, kind: asked } : empty);
  // The server's refusals that concern one field are shown under it (and in the summary).
  const errors = useFormErrors("action", labels, {
    "collectiveAction.kindLockedToWorkingGroup": "kind",
    "collectiveAction.kindLockedWorkingGroup": "kind",
    "collectiveAction.capacityBelowConvoked": "capacity",
  });
  const options = useQuery({
    queryKey: ["actions", structureId, "options"],
    queryFn: () => call(actionsRoutes.options, { params: { structureId: structureId ?? "" } }),
    enabled: Boolean(structureId),
  });
  const existing = useQuery({
    queryKey: ["convocations", "action", actionId],
    queryFn: () => call(actionsRoutes.get, { params: { actionId: actionId ?? "" } }),
    enabled: Boolean(actionId),
  });
  useEffect(() => {
    const a = existing.data;
    if (!a) return;
    setForm({
      kind: a.kind,
      status: "planned",
      title: a.title,
      theme: a.theme,
      day: a.day,
      startTime: a.startTime,
      endTime: a.endTime,
      where: a.siteId ? "site" : "address",
      siteId: a.siteId ?? "",
      address: a.address,
      capacity: a.capacity === null ? "" : String(a.capacity),
      organiserIds: a.organisers.map((o) => o.id),
      hostEntryId: a.host?.id ?? "",
      cofunderEntryIds: a.cofunders.map((c) => c.id),
      description: a.description,
    });
  }, [existing.data]);
  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm((f) => ({ ...f, [key]: value }));
  const body = () => ({
    kind: form.kind,
    title: form.title,
    theme: form.theme,
    description: form.description,
    day: form.day,
    startTime: form.startTime,
    endTime: form.endTime,
    siteId: form.where === "site" && form.siteId ? form.siteId : null,
    address: form.where === "address" ? form.address : "",
    capacity: form.capacity.trim() === "" ? null : Number(form.capacity),
    organiserIds: form.organiserIds,
    hostEntryId: form.hostEntryId || null,
    cofunderEntryIds: form.cofunderEntryIds,
  });
  // A new action's id, kept until it is saved: sending again after a lost answer is safe (ADR 0036).
  const record = useRecordId(["actions"]);
  const save = useMutation({
    mutationFn: async () => {
      if (actionId) {
        await call(actionsRoutes.update, { params: { actionId }, body: body() });
        return actionId;
      }
      return (
        await call(actionsRoutes.create, {
          params: { structureId: structureId ?? "" },
          body: { ...body(), id: record.id, status: form.status },
        })
      ).id;
    },
    onMutate: () => errors.clear(),
    onSuccess: (id) => navigate(`/actions/${id}`),
    onError: async (error) => {
      errors.showApiError(error);
      await record.failed(error);
    },
  });
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const value = body();
    // The place is checked as the form shows it (a site, or an address), with the other fields.
    const place =
      form.where === "site"
        ? form.siteId
          ? []
          : [{ path: "body.siteId", message: "Choisissez le lieu de la structure." }]
        : form.address.trim()
          ? []
          : [{ path: "body.address", message: "Saisissez l'adresse du lieu." }];
    // Checked as the server does, with today's date (Paris): a new action « Prévue » is not in the
    // past, a « Tenue » one not to come; an action « Prévue » is not moved to a day gone by, a « Tenue » one not to a day to come.
    const today = parisDay(new Date());
    const parsed = actionId
      ? actionBodySchema.safeParse(value)
      : newActionBodySchemaOn(today).safeParse({ ...value, status: form.status });
    const loaded = existing.data;
    const dayIssue =
      loaded && /^\d{4}-\d{2}-\d{2}$/.test(value.day)
        ? editedDayIssue(loaded.status, loaded.day, value.day, today)
        : null;
    const movedToPast = dayIssue ? [{ path: "body.day", message: dayIssue }] : [];
    const issues = [
      ...(parsed.success ? [] : parsed.error.issues)
        .filter((issue) => issue.path[0] !== "address" && issue.path[0] !== "siteId")
        .map((issue) => ({ path: `body.${issue.path.join(".")}`, message: issue.message })),
      ...place,
      ...(parsed.success || !parsed.error.issues.some((i) => i.path[0] === "day") ? movedToPast : []),
    ];
    if (issues.length > 0) {
      errors.showApiError(
        new ApiError(400, {
          code: "request.invalid",
          message: "La requête contient des données invalides.",
          issues,
        }),
      );
      return;
    }
    save.mutate();
  };
  return (
    <div className="fr-col-12 fr-col-md-10">
      <h1>{actionId ? "Modifier l'action collective" : "Organiser une action collective"}</h1>
      <ErrorAlert error={options.error ?? existing.error} />
      <form onSubmit={submit} noValidate>
        {errors.summary}
        <Select
          label={labels.kind}
          {...errors.state("kind")}
          nativeSelectProps={{
            ...errors.native("kind"),
            value: form.kind,
            onChange: (e) => set("kind", e.target.value as ActionKind),
          }}
        >
          <option value="" disabled>
            Choisissez le type
          </option>
          {kinds.map((k) => (
            <option key={k} value={k}>
              {actionKindLabels[k]}
            </option>
          ))}
        </Select>
        <Input
          label={labels.title}
          hintText="Par exemple : Forum emploi IAE de Meaux"
          {...errors.state("title")}
          nativeInputProps={{
            ...errors.native("title"),
            value: form.title,
            maxLength: 160,
            onChange: (e) => set("title", e.target.value),
          }}
        />
        <Input
          label={labels.theme}
          hintText="Facultatif : numérique, budget, papiers d'identité, sortie de détention…"
          {...errors.state("theme")}
          nativeInputProps={{
            ...errors.native("theme"),
            value: form.theme,
            maxLength: 160,
            onChange: (e) => set("theme", e.target.value),
          }}
        />
        {!actionId && (
          <RadioButtons
            legend={labels.status}
            hintText="« Tenue » : pour enregistrer une action qui a déjà eu lieu ; son bilan se saisit ensuite sur sa page."
            orientation="horizontal"
            id={errors.native("status").id}
            {...errors.state("status")}
            options={[
              {
                label: "Prévue",
                nativeInputProps: {
                  checked: form.status === "planned",
                  onChange: () => set("status", "planned"),
                },
              },
              {
                label: "Tenue (déjà eu lieu)",
                nativeInputProps: { checked: form.status === "held", onChange: () => set("status", "held") },
              },
            ]}
          />
        )}
        <DayAndTimesFields errors={errors} labels={labels} value={form} onChange={set} />
        <RadioButtons
          legend="Lieu"
          orientation="horizontal"
          options={[
            {
              label: "Un lieu de la structure",
              nativeInputProps: { checked: form.where === "site", onChange: () => set("where", "site") },
            },
            {
              label: "Une adresse extérieure",
              nativeInputProps: {
                checked: form.where === "address",
                onChange: () => set("where", "address"),
              },
            },
          ]}
        />
        {form.where === "site" ? (
          <Select
            label={labels.siteId}
            hint="Les personnes suivies ne sont convoquées qu'à une action tenue dans un lieu de la structure."
            {...errors.state("siteId")}
            nativeSelectProps={{
              ...errors.native("siteId"),
              value: form.siteId,
              onChange: (e) => set("siteId", e.target.value),
            }}
          >
            <option value="" disabled>
              Choisissez le lieu
            </option>
            {options.data?.sites.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name} — {s.address}
              </option>
            ))}
          </Select>
        ) : (
          <Input
            label={labels.address}
            {...errors.state("address")}
            nativeInputProps={{
              ...errors.native("address"),
              value: form.address,
              maxLength: 300,
              onChange: (e) => set("address", e.target.value),
            }}
          />
        )}
        <Input
          label={labels.capacity}
          hintText="Facultatif : laissez vide pour une action sans limite de places."
          {...errors.state("capacity")}
          nativeInputProps={{
            ...errors.native("capacity"),
            type: "number",
            inputMode: "numeric",
            min: 1,
            value: form.capacity,
            onChange: (e) => set("capacity", e.target.value),
          }}
        />
        {options.data && options.data.agents.length > 0 && (
          <Checkbox
            legend={labels.organiserIds}
            id={errors.native("organiserIds").id}
            {...errors.state("organiserIds")}
            small
            options={options.data.agents.map((agent) => ({
              label: agent.name,
              nativeInputProps: {
                checked: form.organiserIds.includes(agent.id),
                onChange: (e) =>
                  set(
                    "organiserIds",
                    e.target.checked
                      ? [...form.organiserIds, agent.id]
                      : form.organiserIds.filter((id) => id !== agent.id),
                  ),
              },
            }))}
          />
        )}
        <LocalPartnersFields
          errors={errors}
          labels={labels}
          entries={options.data?.entries ?? []}
          hostEntryId={form.hostEntryId}
          cofunderEntryIds={form.cofunderEntryIds}
          onHost={(id) => set("hostEntryId", id)}
          onCofunders={(ids) => set("cofunderEntryIds", ids)}
        />
        <Input
          label={labels.description}
          hintText={withLengthHint(undefined, form.description.length, 4000)}
          textArea
          {...errors.state("description")}
          nativeTextAreaProps={{
            ...errors.native("description"),
            value: form.description,
            maxLength: 4000,
            rows: 4,
            onChange: (e) => set("description", e.target.value),
          }}
        />
        <ul className="fr-btns-group fr-btns-group--inline-md">
          <li>
            <Button type="submit" disabled={save.isPending}>
              {actionId ? "Enregistrer les modifications" : "Créer l'action"}
            </Button>
          </li>
          <li>
            <Link className="fr-btn fr-btn--secondary" to={actionId ? `/actions/${actionId}` : "/actions"}>
              Annuler
            </Link>
          </li>
        </ul>
      </form>
    </div>
  );
}
