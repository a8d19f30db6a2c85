import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { type ReactNode, useState } from "react";
import type { FormErrors } from "../../components/form/useFormErrors";
import { parisIso } from "./HandoverPage";

/** When and where a handover meeting is held, as typed: a Paris day and time, minutes, a site or a place. */
export interface MeetingWhen {
  day: string;
  time: string;
  duration: string;
  siteId: string;
  placeText: string;
}

type MeetingField = "startsAt" | "durationMinutes" | "siteId" | "placeText";

/** The typed meeting and its part of the request body (scheduling and moving send the same fields). */
export function useMeetingWhen(initial: MeetingWhen): {
  when: MeetingWhen;
  set: (patch: Partial<MeetingWhen>) => void;
  bodyPart: () => { startsAt: string; durationMinutes: number; siteId: string | null; placeText: string };
} {
  const [when, setWhen] = useState(initial);
  return {
    when,
    set: (patch) => setWhen((current) => ({ ...current, ...patch })),
    bodyPart: () => ({
      startsAt: when.day ? parisIso(when.day, when.time || "00:00") : "",
      durationMinutes: Number(when.duration),
      siteId: when.siteId || null,
      placeText: when.placeText,
    }),
  };
}

/** "1 h 30", "45 min". */
function durationLabel(minutes: string): string {
  const n = Number(minutes);
  if (n < 60) return `${n} min`;
  return `${Math.floor(n / 60)} h${n % 60 ? ` ${n % 60}` : ""}`;
}

/** The day, time, duration, site and place fields of a handover meeting, with their errors. */
export function MeetingWhenFields({
  when,
  set,
  errors,
  sites,
  durations,
  hints = false,
}: {
  when: MeetingWhen;
  set: (patch: Partial<MeetingWhen>) => void;
  errors: Pick<FormErrors<MeetingField>, "state" | "native">;
  sites: { id: string; name: string }[];
  durations: string[];
  /** The hints that help a first scheduling (an establishment and its room). */
  hints?: boolean;
}): ReactNode {
  return (
    <>
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-md-4">
          <Input
            label="Date de la réunion"
            {...errors.state("startsAt")}
            nativeInputProps={{
              ...errors.native("startsAt"),
              type: "date",
              value: when.day,
              onChange: (e) => set({ day: e.target.value }),
            }}
          />
        </div>
        <div className="fr-col-6 fr-col-md-4">
          <Input
            label="Heure"
            nativeInputProps={{
              type: "time",
              value: when.time,
              onChange: (e) => set({ time: e.target.value }),
            }}
          />
        </div>
        <div className="fr-col-6 fr-col-md-4">
          <Select
            label="Durée"
            {...errors.state("durationMinutes")}
            nativeSelectProps={{
              ...errors.native("durationMinutes"),
              value: when.duration,
              onChange: (e) => set({ duration: e.target.value }),
            }}
          >
            {durations.map((d) => (
              <option key={d} value={d}>
                {durationLabel(d)}
              </option>
            ))}
          </Select>
        </div>
      </div>
      <Select
        label="Lieu (un site de la structure)"
        hint={hints ? "Ou indiquez l'établissement et la salle ci-dessous." : undefined}
        {...errors.state("siteId")}
        nativeSelectProps={{
          ...errors.native("siteId"),
          value: when.siteId,
          onChange: (e) => set({ siteId: e.target.value }),
        }}
      >
        <option value="">Autre lieu (préciser)</option>
        {sites.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </Select>
      <Input
        label="Adresse ou salle"
        hintText={
          hints ? "Par exemple : centre pénitentiaire de Meaux-Chauconin, salle des audiences." : undefined
        }
        {...errors.state("placeText")}
        nativeInputProps={{
          ...errors.native("placeText"),
          value: when.placeText,
          maxLength: 300,
          onChange: (e) => set({ placeText: e.target.value }),
        }}
      />
    </>
  );
}
