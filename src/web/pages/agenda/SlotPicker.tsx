import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { RadioButtons } from "@codegouvfr/react-dsfr/RadioButtons";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useQuery } from "@tanstack/react-query";
import { type ReactNode, useEffect, useId, useRef, useState } from "react";
import { Link } from "react-router";
import { agendaRoutes } from "../../../common/agenda/agenda.routes";
import type { SlotView } from "../../../common/agenda/agenda.schema";
import { atPlace } from "../../../common/placeName";
import { structuresRoutes } from "../../../common/structures/structures.routes";
import { call } from "../../api/client";
import { formatLongDate, formatPhone, formatTime } from "../../components/dates";
import { ErrorAlert } from "../../components/ErrorAlert";
import type { FormErrors } from "../../components/form/useFormErrors";
import { letterUrl } from "./ConvocationTable";
import { dayOptionLabel, shownDay, slotDays, slotKey, slotWhen } from "./slotDays";

/** Where a slot error goes: the id the error summary links to, and the message under the slots. */
export interface SlotError {
  id: string;
  message: string | undefined;
}

/**
 * The free slots of the month, all sites or one. A day selector keeps the list short (a phone
 * shows one day, not a month); the day's slots are native radios in one fieldset, so the whole
 * group is a single Tab stop and the arrow keys move between the hours (RGAA, DSFR radio group).
 */
export function SlotPicker({
  structureId,
  chosen,
  onChoose,
  from,
  personId,
  error,
  notice,
}: {
  structureId: string;
  /** The person to convoke: only the sites where they may be convoked are offered. */
  personId?: string | undefined;
  chosen: SlotView | null;
  onChoose: (slot: SlotView | null) => void;
  /** First day searched (YYYY-MM-DD), e.g. the counselor's suggested delay; today by default. */
  from?: string | undefined;
  /** The form's "Choisissez un créneau." or "créneau pris": under the slots, linked from the summary. */
  error: SlotError;
  /** Said right under the slots once one is chosen (another convocation that half-day), announced. */
  notice?: ReactNode;
}): ReactNode {
  const [siteId, setSiteId] = useState("");
  const dayCountId = useId();
  const [pickedDay, setPickedDay] = useState("");
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
  const days = slotDays(slots.data?.slots ?? []);
  const day = shownDay(days, pickedDay, chosen);
  const isChosen = (slot: SlotView) => chosen !== null && slotKey(chosen) === slotKey(slot);
  // Sent before the slots came, the form put the focus on its message; the slots replace it: the
  // focus goes to them (the chosen hour, else the first), whose group still says the message.
  // A notice appearing under the slot just picked is scrolled into sight (on a phone the list fills
  // the screen and it would start under its bottom edge).
  const noticeBox = useRef<HTMLDivElement>(null);
  const hasNotice = Boolean(notice);
  const chosenKey = chosen ? slotKey(chosen) : "";
  useEffect(() => {
    if (hasNotice && chosenKey) noticeBox.current?.scrollIntoView?.({ block: "nearest" });
  }, [hasNotice, chosenKey]);
  const hasDay = day !== undefined;
  const messageFocused = useRef(false);
  useEffect(() => {
    if (!hasDay || !messageFocused.current) return;
    messageFocused.current = false;
    // Only a focus the removed message left to the page's body, not one the agent moved since.
    if (document.activeElement && document.activeElement !== document.body) return;
    const radios = document.getElementById(error.id)?.querySelectorAll<HTMLInputElement>("input") ?? [];
    ([...radios].find((radio) => radio.checked) ?? radios[0])?.focus();
  }, [hasDay, error.id]);
  return (
    <>
      {forPerson?.establishment ? (
        <Alert
          severity="info"
          small
          className="fr-mb-3w"
          description={
            // Out within the slots' window: the other sites are offered from the release day on.
            forPerson.releaseDay && allowedSites.some((s) => s.id !== forPerson.establishment?.id)
              ? `Personne détenue ${atPlace(forPerson.establishment.name)} jusqu'à sa sortie, prévue le ${formatLongDate(forPerson.releaseDay)} : avant ce jour, elle ne peut être convoquée qu'aux permanences de son établissement ; les autres lieux sont proposés à partir de ce jour.`
              : `Personne détenue ${atPlace(forPerson.establishment.name)} : elle ne peut être convoquée qu'aux permanences de son établissement. Les autres lieux ne sont pas proposés.`
          }
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
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-md-6">
          <Select
            label="Lieu"
            nativeSelectProps={{
              value: siteId,
              onChange: (e) => {
                setSiteId(e.target.value);
                setPickedDay("");
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
        </div>
        <div className="fr-col-12 fr-col-md-6">
          {/* The count under the select, not in its label: side by side, « Lieu » and « Jour » stay aligned. */}
          <Select
            label="Jour"
            disabled={days.length === 0}
            className="fr-mb-0"
            nativeSelectProps={{
              value: day?.key ?? "",
              onChange: (e) => setPickedDay(e.target.value),
              "aria-describedby": days.length > 0 ? dayCountId : undefined,
            }}
          >
            {days.length === 0 && (
              <option value="">{slots.isPending ? "Recherche des créneaux…" : "Aucun jour libre"}</option>
            )}
            {days.map((d) => (
              <option key={d.key} value={d.key}>
                {dayOptionLabel(d)}
              </option>
            ))}
          </Select>
          {days.length > 0 && (
            <p id={dayCountId} className="fr-hint-text fr-mt-1v">
              {days.length} jour{days.length > 1 ? "s" : ""} avec des créneaux libres
            </p>
          )}
        </div>
      </div>
      <ErrorAlert error={slots.error} />
      {day ? (
        <RadioButtons
          id={error.id}
          name="slot"
          legend={`Créneau du ${day.label}`}
          orientation="horizontal"
          state={error.message ? "error" : "default"}
          stateRelatedMessage={error.message}
          options={day.slots.map((slot) => ({
            label: `${formatTime(slot.startsAt)} · ${slot.siteName}`,
            nativeInputProps: {
              value: slotKey(slot),
              checked: isChosen(slot),
              onChange: () => onChoose(slot),
            },
          }))}
        />
      ) : (
        // No radio to carry the error: the message itself takes the summary's link and the focus.
        <div className={`fr-input-group${error.message ? " fr-input-group--error" : ""}`}>
          <p className="fr-text--bold fr-mb-1w">Créneau</p>
          <p className="fr-mb-1w">
            {slots.isPending ? "Recherche des créneaux…" : "Aucun créneau libre dans le mois qui vient."}
          </p>
          <div className="fr-messages-group" aria-live="assertive">
            {error.message && (
              <p
                className="fr-message fr-message--error"
                id={error.id}
                tabIndex={-1}
                onFocus={() => {
                  messageFocused.current = true;
                }}
              >
                {error.message}
              </p>
            )}
          </div>
        </div>
      )}
      {/* Always there, so that a screen reader announces what appears in it when a slot is picked. */}
      <div aria-live="polite" ref={noticeBox}>
        {notice}
      </div>
    </>
  );
}

/**
 * What the form will book, right above its submit button (the slot list can be far up on a phone):
 * "Convocation le mardi 15 décembre 2026 à 9 h 00 à Meaux", with the site's address. The submit
 * button points to it (`aria-describedby`), so a screen reader says it with the button.
 */
export function ChosenSlotSummary({
  id,
  structureId,
  chosen,
  lead,
}: {
  id: string;
  structureId: string;
  chosen: SlotView | null;
  /** "Convocation", "Nouveau rendez-vous". */
  lead: string;
}): ReactNode {
  // The picker's query (same key): read from the cache, not fetched again.
  const overview = useQuery({
    queryKey: ["structure", structureId],
    queryFn: () => call(structuresRoutes.overview, { params: { structureId } }),
  });
  if (!chosen)
    return (
      <p id={id} className="fr-text--sm fr-mb-2w">
        Aucun créneau choisi : choisissez un jour puis une heure plus haut.
      </p>
    );
  const address = overview.data?.sites.find((s) => s.id === chosen.siteId)?.address;
  return (
    <div id={id} className="fr-highlight fr-ml-0 fr-mb-3w">
      <p>
        {lead} le <strong>{slotWhen(chosen)}</strong> {atPlace(chosen.siteName)}
        {address && <span className="fr-hint-text fr-mt-1v">{address}</span>}
      </p>
    </div>
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
 * email address) the option cannot be chosen: "Non" is set, the only answer (the person gets the
 * letter only).
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
  const noPhone = contact !== undefined && !contact.phone;
  const noEmail = contact !== undefined && !contact.email;
  useEffect(() => {
    if ((noPhone && sms === "") || (noEmail && email === ""))
      onChange({ sms: noPhone && sms === "" ? "no" : sms, email: noEmail && email === "" ? "no" : email });
  }, [noPhone, noEmail, sms, email, onChange]);
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
