import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useQuery } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useState } from "react";
import { directoryKindLabels } from "../../../common/directory/directory.schema";
import { typedNumber } from "../../../common/fields";
import { fundingsRoutes } from "../../../common/fundings/fundings.routes";
import { type FundingView, fundingBodySchema } from "../../../common/fundings/fundings.schema";
import { typedEuros } from "../../../common/money";
import { call } from "../../api/client";
import { useRecordId } from "../../api/requestId";
import { useMutation } from "../../api/useMutation";
import { formatShortDate } from "../../components/dates";
import { useFormErrors } from "../../components/form/useFormErrors";

const labels = {
  funderEntryId: "Financeur",
  amountEuros: "Montant (euros)",
  purpose: "Objet",
  year: "Année budgétaire",
  startsOn: "Début de la période",
  endsOn: "Fin de la période",
  conventionId: "Convention",
  collectiveActionId: "Action collective",
} as const;

/** Records or corrects a funding (direction): funder from the directory, amount, purpose, year. */
export function FundingForm({
  structureId,
  funding,
  defaultYear,
  onSaved,
  onCancel,
}: {
  structureId: string;
  funding?: FundingView;
  defaultYear: number;
  onSaved: (message: string) => void;
  onCancel: () => void;
}): ReactNode {
  const options = useQuery({
    queryKey: ["fundings", structureId, "form-options"],
    queryFn: () => call(fundingsRoutes.formOptions, { params: { structureId } }),
  });
  const [form, setForm] = useState({
    funderEntryId: funding?.funder.id ?? "",
    amount: funding ? String(funding.amountEuros) : "",
    purpose: funding?.purpose ?? "",
    year: String(funding?.year ?? defaultYear),
    startsOn: funding?.startsOn ?? "",
    endsOn: funding?.endsOn ?? "",
    conventionId: funding?.convention?.id ?? "",
    collectiveActionId: funding?.collectiveAction?.id ?? "",
  });
  const set = (patch: Partial<typeof form>) => setForm((f) => ({ ...f, ...patch }));
  const errors = useFormErrors("funding", labels);
  const body = () => ({
    funderEntryId: form.funderEntryId,
    amountEuros: typedEuros(form.amount),
    purpose: form.purpose,
    year: typedNumber(form.year),
    startsOn: form.startsOn,
    endsOn: form.endsOn,
    conventionId: form.conventionId || null,
    collectiveActionId: form.collectiveActionId || null,
  });
  // A new funding's id, kept until it is saved: sending again after a lost answer is safe (ADR 0036).
  const record = useRecordId(["fundings"]);
  const save = useMutation({
    mutationFn: () => {
      const parsed = fundingBodySchema.parse(body());
      return funding
        ? call(fundingsRoutes.update, { params: { fundingId: funding.id }, body: parsed })
        : call(fundingsRoutes.create, { params: { structureId }, body: { ...parsed, id: record.id } });
    },
    onSuccess: () => {
      record.saved();
      onSaved(funding ? "Financement modifié." : "Financement enregistré.");
    },
    onError: async (error) => {
      errors.showApiError(error);
      await record.failed(error);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (errors.check(fundingBodySchema, body())) save.mutate();
  };
  // A funder or a link kept from before (archived since, an ended convention) stays choosable.
  const funders = options.data?.funders ?? [];
  const keptFunder = funding && !funders.some((f) => f.id === funding.funder.id) ? [funding.funder] : [];
  const conventions = options.data?.conventions ?? [];
  const keptConvention =
    funding?.convention && !conventions.some((c) => c.id === funding.convention?.id)
      ? [funding.convention]
      : [];
  const actions = options.data?.collectiveActions ?? [];
  const keptAction =
    funding?.collectiveAction && !actions.some((a) => a.id === funding.collectiveAction?.id)
      ? [funding.collectiveAction]
      : [];
  const text = (key: "purpose", hint: string) => (
    <Input
      label={labels[key]}
      hintText={hint}
      {...errors.state(key)}
      nativeInputProps={{
        ...errors.native(key),
        value: form[key],
        maxLength: 300,
        onChange: (e) => set({ [key]: e.target.value }),
      }}
    />
  );
  return (
    <form
      onSubmit={submit}
      noValidate
      aria-label={funding ? "Modifier le financement" : "Nouveau financement"}
    >
      {errors.summary}
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-md-6">
          <Select
            label={labels.funderEntryId}
            hint="Une organisation de l'annuaire : mairie, département, préfecture…"
            {...errors.state("funderEntryId")}
            nativeSelectProps={{
              ...errors.native("funderEntryId"),
              value: form.funderEntryId,
              onChange: (e) => set({ funderEntryId: e.target.value }),
            }}
          >
            <option value="">Choisir</option>
            {[...keptFunder, ...funders].map((f) => (
              <option key={f.id} value={f.id}>
                {f.name} ({directoryKindLabels[f.kind]})
              </option>
            ))}
          </Select>
        </div>
        <div className="fr-col-6 fr-col-md-3">
          <Input
            label={labels.amountEuros}
            hintText="En euros entiers, par exemple 40 000."
            {...errors.state("amountEuros")}
            nativeInputProps={{
              ...errors.native("amountEuros"),
              inputMode: "numeric",
              value: form.amount,
              onChange: (e) => set({ amount: e.target.value }),
            }}
          />
        </div>
        <div className="fr-col-6 fr-col-md-3">
          <Input
            label={labels.year}
            hintText="Par exemple 2026."
            {...errors.state("year")}
            nativeInputProps={{
              ...errors.native("year"),
              inputMode: "numeric",
              value: form.year,
              onChange: (e) => set({ year: e.target.value }),
            }}
          />
        </div>
        <div className="fr-col-12">
          {text("purpose", "Par exemple : Recrutement d'un médiateur France services.")}
        </div>
        {(["startsOn", "endsOn"] as const).map((key) => (
          <div key={key} className="fr-col-12 fr-col-md-6">
            <Input
              label={labels[key]}
              hintText="Facultatif. La période recoupe l'année budgétaire."
              {...errors.state(key)}
              nativeInputProps={{
                ...errors.native(key),
                type: "date",
                value: form[key],
                onChange: (e) => set({ [key]: e.target.value }),
              }}
            />
          </div>
        ))}
        <div className="fr-col-12 fr-col-md-6">
          <Select
            label={labels.conventionId}
            hint="Facultatif : la convention qui l'accorde (subvention, contrat local de sécurité…)."
            {...errors.state("conventionId")}
            nativeSelectProps={{
              ...errors.native("conventionId"),
              value: form.conventionId,
              onChange: (e) => set({ conventionId: e.target.value }),
            }}
          >
            <option value="">Aucune</option>
            {[...keptConvention, ...conventions].map((c) => (
              <option key={c.id} value={c.id}>
                {c.title}
              </option>
            ))}
          </Select>
        </div>
        <div className="fr-col-12 fr-col-md-6">
          <Select
            label={labels.collectiveActionId}
            hint="Facultatif : l'action qu'il cofinance (stage, forum…) ; pas en même temps qu'une convention."
            {...errors.state("collectiveActionId")}
            nativeSelectProps={{
              ...errors.native("collectiveActionId"),
              value: form.collectiveActionId,
              onChange: (e) => set({ collectiveActionId: e.target.value }),
            }}
          >
            <option value="">Aucune</option>
            {[...keptAction, ...actions].map((a) => (
              <option key={a.id} value={a.id}>
                {a.title} ({formatShortDate(a.startsAt)})
              </option>
            ))}
          </Select>
        </div>
      </div>
      <ul className="fr-btns-group fr-btns-group--inline-md fr-mt-2w">
        <li>
          <Button type="submit" disabled={save.isPending}>
            {funding ? "Enregistrer les modifications" : "Enregistrer le financement"}
          </Button>
        </li>
        <li>
          <Button type="button" priority="secondary" onClick={onCancel}>
            Annuler
          </Button>
        </li>
      </ul>
    </form>
  );
}
