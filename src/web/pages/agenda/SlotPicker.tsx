import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { RadioButtons } from "@codegouvfr/react-dsfr/RadioButtons";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useQuery } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { Link } from "react-router";
import { agendaRoutes } from "../../../common/agenda/agenda.routes";
import type { SlotView } from "../../../common/agenda/agenda.schema";
import { atPlace } from "../../../common/placeName";
import { structuresRoutes } from "../../../common/structures/structures.routes";
import { call } from "../../api/client";
import { formatAppointment, formatDay, formatPhone, formatTime } from "../../components/dates";
import { ErrorAlert } from "../../components/ErrorAlert";
import type { FormErrors } from "../../components/form/useFormErrors";
import { letterUrl } from "./ConvocationTable";

const slotKey = (s: SlotView) => `${s.siteId}|${s.startsAt}`;

function groupByDay(slots: SlotView[]): [string, SlotView[]][] {
  const days = new Map<string, SlotView[]>();
  for (const slot of slots)
    days.set(formatDay(slot.startsAt), [...(days.get(formatDay(slot.startsAt)) ?? []), slot]);
  return [...days.entries()];
}

/** The next free slots of the month, all sites or one, grouped by day; one click picks a slot. */
export function SlotPicker({
  structureId,
  chosen,
  onChoose,
  from,
  personId,
}: {
  structureId: string;
  /** The person to convoke: only the sites where they may be convoked are offered. */
  personId?: string | undefined;
  chosen: SlotView | null;
  onChoose: (slot: SlotView | null) => void;
  /** First day searched (YYYY-MM-DD), e.g. the counselor's suggested delay; today by default. */
  from?: string | undefined;
}): ReactNode {
  const [siteId, setSiteId] = useState("");
  const overview = useQuery({
    queryKey: ["structure", structureId],
    queryFn: () => call(structuresRoutes.overview, { params: { structureId } }),
  });
  const slots = useQuery({
    queryKey: ["slots", structureId, siteId, from ?? "", personId ?? ""],
    queryFn: () =>
      call(agendaRoutes.slots, {
        params: { structureId },
        query: { siteId: siteId || undefined, days: 31, from, personId },
      }),
  });
  // The server says where the person may go (ADR 0028, addendum "place"); the list follows it.
  const forPerson = slots.data?.forPerson ?? null;
  const allowedSites = (overview.data?.sites ?? []).filter(
    (s) => !forPerson || forPerson.siteIds.includes(s.id),
  );
  const leftOut = (overview.data?.sites.length ?? 0) - allowedSites.length;
  return (
    <>
      {forPerson?.establishment ? (
        <Alert
          severity="info"
          small
          className="fr-mb-3w"
          description={`Personne détenue ${atPlace(forPerson.establishment.name)} : elle ne peut être convoquée qu'aux permanences de son établissement. Les autres lieux ne sont pas proposés.`}
        />
      ) : (
        forPerson &&
        leftOut > 0 && (
          <p className="fr-hint-text fr-mb-2w">
            Les permanences tenues en établissement pénitentiaire ou en SAS sont réservées aux personnes qui y
            sont détenues : elles ne sont pas proposées.
          </p>
        )
      )}
      <Select
        label="Lieu"
        nativeSelectProps={{
          value: siteId,
          onChange: (e) => {
            setSiteId(e.target.value);
            onChoose(null);
          },
        }}
      >
        <option value="">
          {allowedSites.length === 1
            ? "Son établissement (prochains créneaux)"
            : "Tous les lieux (prochains créneaux)"}
        </option>
        {allowedSites.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </Select>
      <ErrorAlert error={slots.error} />
      <fieldset className="fr-fieldset" aria-labelledby="slots-legend">
        <legend id="slots-legend" className="fr-fieldset__legend">
          Créneau
        </legend>
        {slots.isPending && <p className="fr-fieldset__element">Recherche des créneaux…</p>}
        {slots.data && slots.data.slots.length === 0 && (
          <p className="fr-fieldset__element">Aucun créneau libre dans le mois qui vient.</p>
        )}
        {slots.data &&
          groupByDay(slots.data.slots.slice(0, 60)).map(([day, daySlots]) => (
            <div key={day} className="fr-fieldset__element">
              <p className="fr-text--bold fr-mb-1w">{day}</p>
              <ul className="fr-btns-group fr-btns-group--inline fr-btns-group--sm">
                {daySlots.map((slot) => (
                  <li key={slotKey(slot)}>
                    <Button
                      type="button"
                      size="small"
                      priority={chosen && slotKey(chosen) === slotKey(slot) ? "primary" : "secondary"}
                      aria-pressed={chosen !== null && slotKey(chosen) === slotKey(slot)}
                      onClick={() => onChoose(slot)}
                    >
                      {formatTime(slot.startsAt)} · {slot.siteName}
                    </Button>
                  </li>
                ))}
              </ul>
            </div>
          ))}
      </fieldset>
      {chosen && (
        <p>
          Créneau choisi : <strong>{formatAppointment(chosen.startsAt)}</strong> {atPlace(chosen.siteName)}
        </p>
      )}
    </>
  );
}

/** After a booking: print its letter, or go back to the person's file. */
export function AfterBookingActions({
  convocationId,
  personId,
  letterLabel,
}: {
  convocationId: string;
  personId: string;
  letterLabel: string;
}): ReactNode {
  return (
    <ul className="fr-btns-group fr-btns-group--inline">
      <li>
        <a className="fr-btn" href={letterUrl(convocationId)} target="_blank" rel="noopener">
          {letterLabel}
        </a>
      </li>
      <li>
        <Link className="fr-btn fr-btn--secondary" to={`/personnes/${personId}`}>
          Retour au dossier
        </Link>
      </li>
    </ul>
  );
}

export type YesNo = "" | "yes" | "no";

/**
 * The explicit choice of SMS and email: nothing is preselected. Without a phone number (or an
 * email address) the option cannot be chosen: the person gets the letter only.
 */
export function NotifyChoice({
  sms,
  email,
  contact,
  onChange,
  errors,
}: {
  sms: YesNo;
  email: YesNo;
  contact?: { phone: string; email: string } | undefined;
  onChange: (value: { sms: YesNo; email: YesNo }) => void;
  /** The form's errors: "Choisissez d'envoyer ou non…" under the radios, the first one focusable. */
  errors?: Pick<FormErrors<"notifySms" | "notifyEmail">, "state" | "native">;
}): ReactNode {
  const radios = (
    key: "notifySms" | "notifyEmail",
    legend: string,
    value: YesNo,
    set: (v: YesNo) => void,
    address: string | undefined,
    missing: string,
  ) => (
    <RadioButtons
      legend={legend}
      hintText={address === undefined ? undefined : address ? `Au ${address}` : missing}
      orientation="horizontal"
      {...errors?.state(key)}
      id={errors?.native(key).id}
      options={[
        {
          label: "Oui",
          nativeInputProps: {
            checked: value === "yes",
            onChange: () => set("yes"),
            disabled: address === "",
          },
        },
        {
          label: "Non",
          nativeInputProps: {
            checked: value === "no",
            onChange: () => set("no"),
          },
        },
      ]}
    />
  );
  return (
    <>
      {radios(
        "notifySms",
        "Envoyer la convocation par SMS ?",
        sms,
        (v) => onChange({ sms: v, email }),
        contact && (contact.phone ? formatPhone(contact.phone) : ""),
        "Pas de numéro de téléphone : remettez la lettre de convocation.",
      )}
      {radios(
        "notifyEmail",
        "Envoyer la convocation par courriel ?",
        email,
        (v) => onChange({ sms, email: v }),
        contact?.email,
        "Pas d'adresse électronique.",
      )}
    </>
  );
}

/** "" (not chosen) stays undefined, so the server answers the French "choose" message. */
export const chosenBoolean = (value: YesNo): boolean | undefined =>
  value === "" ? undefined : value === "yes";
