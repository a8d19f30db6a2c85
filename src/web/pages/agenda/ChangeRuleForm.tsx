import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from "react";
import { agendaRoutes } from "../../../common/agenda/agenda.routes";
import {
  changeRuleBodySchema,
  type OpeningRuleView,
  type Openings,
} from "../../../common/agenda/agenda.schema";
import { weekdayName } from "../../../common/agenda/permanenceDay";
import { weekdayNames } from "../../../common/dateFormat";
import { call } from "../../api/client";
import { useMutation } from "../../api/useMutation";
import { DATE_HINT, formatDate, formatTimeOfDay, parisDayOf } from "../../components/dates";
import { useFormErrors } from "../../components/form/useFormErrors";
import { poolOptions } from "./poolOptions";

const labels = {
  effectiveFrom: "À partir du",
  weekday: "Jour",
  startTime: "Début",
  endTime: "Fin",
  slotMinutes: "Durée d'un rendez-vous (min)",
  bufferMinutes: "Battement entre deux (min)",
  validTo: "Jusqu'au (facultatif)",
  counselorIds: "Conseillers présents en même temps",
} as const;
// The server's refusals that concern the date of effect are shown under that field.
const codeFields: Record<string, keyof typeof labels> = {
  "convocation.ruleChangeInPast": "effectiveFrom",
  "convocation.ruleChangeStrandsBookings": "effectiveFrom",
};

/**
 * Changes a weekly permanence from a date on: the days before keep the current rule, the new hours,
 * slots and counselors apply from that date. The server refuses it while planned convocations would
 * fall outside the new hours, and lists them.
 */
export function ChangeRuleForm(props: {
  structureId: string;
  rule: OpeningRuleView;
  counselors: Openings["counselors"];
  onClose: () => void;
  /** Called once the change is saved, with its date of effect (the rule then leaves the list). */
  onChanged: (effectiveFrom: string) => void;
}): ReactNode {
  const { rule } = props;
  const [form, setForm] = useState({
    effectiveFrom: parisDayOf(),
    weekday: String(rule.weekday ?? 1),
    startTime: rule.startTime,
    endTime: rule.endTime,
    slotMinutes: String(rule.slotMinutes),
    bufferMinutes: String(rule.bufferMinutes),
    validTo: rule.validTo ?? "",
  });
  const [pool, setPool] = useState(rule.counselors.map((c) => c.id));
  const headingRef = useRef<HTMLHeadingElement>(null);
  // Opened from the table above: the keyboard and the screen reader land on the form.
  useEffect(() => headingRef.current?.focus(), []);
  const errors = useFormErrors<keyof typeof labels>("change-rule", labels, codeFields);
  const queryClient = useQueryClient();
  const body = () => ({
    effectiveFrom: form.effectiveFrom,
    weekday: Number(form.weekday),
    startTime: form.startTime,
    endTime: form.endTime,
    slotMinutes: Number(form.slotMinutes),
    bufferMinutes: Number(form.bufferMinutes),
    validTo: form.validTo || null,
    counselorIds: pool,
  });
  const change = useMutation({
    mutationFn: () =>
      call(agendaRoutes.changeRule, {
        params: { structureId: props.structureId, ruleId: rule.id },
        body: body(),
      }),
    onSuccess: async () => {
      errors.clear();
      props.onChanged(form.effectiveFrom);
      await queryClient.invalidateQueries({ queryKey: ["openings", props.structureId] });
      await queryClient.invalidateQueries({ queryKey: ["slots"] });
    },
    onError: (error) => errors.showApiError(error),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (errors.check(changeRuleBodySchema, body())) change.mutate();
  };
  const field = (key: keyof typeof form) => ({
    ...errors.native(key),
    value: form[key],
    onChange: (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value }),
  });
  const title = `Modifier la permanence du ${weekdayName(rule.weekday ?? 1)} à ${rule.siteName} (${formatTimeOfDay(rule.startTime)} – ${formatTimeOfDay(rule.endTime)})`;
  return (
    <form
      onSubmit={submit}
      noValidate
      aria-label={title}
      className="fr-mb-6w fr-p-3w fr-background-alt--grey"
    >
      <h2 className="fr-h4" tabIndex={-1} ref={headingRef}>
        {title}
      </h2>
      <p>
        Valable depuis le {formatDate(rule.validFrom)}. Les jours avant la date d'effet gardent les horaires
        actuels ; une convocation prévue qui sortirait des nouveaux horaires bloque la modification.
      </p>
      {errors.summary}
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-md-4">
          <Input
            label={labels.effectiveFrom}
            hintText={DATE_HINT}
            {...errors.state("effectiveFrom")}
            nativeInputProps={{ type: "date", ...field("effectiveFrom") }}
          />
        </div>
        <div className="fr-col-12 fr-col-md-4">
          <Select label={labels.weekday} {...errors.state("weekday")} nativeSelectProps={field("weekday")}>
            {weekdayNames.map((d, i) => (
              <option key={d} value={String(i + 1)}>
                Chaque {d}
              </option>
            ))}
          </Select>
        </div>
        <div className="fr-col-12 fr-col-md-4">
          <Input
            label={labels.validTo}
            hintText={DATE_HINT}
            {...errors.state("validTo")}
            nativeInputProps={{ type: "date", ...field("validTo") }}
          />
        </div>
        <div className="fr-col-6 fr-col-md-3">
          <Input
            label={labels.startTime}
            {...errors.state("startTime")}
            nativeInputProps={{ type: "time", ...field("startTime") }}
          />
        </div>
        <div className="fr-col-6 fr-col-md-3">
          <Input
            label={labels.endTime}
            {...errors.state("endTime")}
            nativeInputProps={{ type: "time", ...field("endTime") }}
          />
        </div>
        <div className="fr-col-6 fr-col-md-3">
          <Input
            label={labels.slotMinutes}
            {...errors.state("slotMinutes")}
            nativeInputProps={{ type: "number", min: 10, ...field("slotMinutes") }}
          />
        </div>
        <div className="fr-col-6 fr-col-md-3">
          <Input
            label={labels.bufferMinutes}
            {...errors.state("bufferMinutes")}
            nativeInputProps={{ type: "number", min: 0, ...field("bufferMinutes") }}
          />
        </div>
      </div>
      <Checkbox
        legend={labels.counselorIds}
        id={errors.native("counselorIds").id}
        {...errors.state("counselorIds")}
        options={poolOptions(props.counselors, pool, setPool)}
      />
      <Button type="submit" disabled={change.isPending} className="fr-mr-2w">
        Enregistrer la modification
      </Button>
      <Button type="button" priority="secondary" onClick={props.onClose}>
        Annuler
      </Button>
    </form>
  );
}
