import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { z } from "zod";
import { actionsRoutes } from "../../../common/actions/actions.routes";
import type { ActionDetail } from "../../../common/actions/actions.schema";
import { isDetentionSiteKind } from "../../../common/detention/detention.schema";
import { heldOn, placeProblem } from "../../../common/detention/place";
import { peopleRoutes } from "../../../common/people/people.routes";
import type { PersonSummary } from "../../../common/people/people.schema";
import { atPlace } from "../../../common/placeName";
import { structuresRoutes } from "../../../common/structures/structures.routes";
import { call } from "../../api/client";
import { useSession } from "../../api/session";
import { useMutation } from "../../api/useMutation";
import { parisDayOf } from "../../components/dates";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useFormErrors } from "../../components/form/useFormErrors";

const labels = { personId: "Personne à convoquer", notifySms: "SMS", notifyEmail: "Courriel" } as const;

/** Checked before sending: the one choice the form needs, said under the list of people. */
const chosenSchema = z.object({ personId: z.string().min(1, "Choisissez la personne à convoquer.") });

/** A CPIP convokes one of their people (the direction: anyone of the structure) to the action. */
export function ConvokeForm({ action }: { action: ActionDetail }): ReactNode {
  const { roles, structureId } = useSession();
  const queryClient = useQueryClient();
  const [personId, setPersonId] = useState("");
  const [sms, setSms] = useState(true);
  const [mail, setMail] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const errors = useFormErrors(
    "convoke",
    labels,
    { "collectiveAction.full": "personId" },
    "La convocation n'a pas été faite",
  );
  const mine = !roles.includes("service_manager");
  const people = useQuery({
    queryKey: ["people", mine ? "mine" : "all", "convoke"],
    queryFn: () => call(peopleRoutes.list, { query: mine ? { mine: "true" } : {} }),
  });
  const overview = useQuery({
    queryKey: ["structure", structureId],
    queryFn: () => call(structuresRoutes.overview, { params: { structureId: structureId ?? "" } }),
    enabled: Boolean(structureId),
  });
  const place = overview.data?.sites.find((s) => s.id === action.siteId);
  const convoked = new Set(
    action.convocations
      .filter((c) => c.status !== "cancelled" && c.status !== "excused")
      .map((c) => c.personId),
  );
  // Where each person may go on the action's day (ADR 0028, addendum "place": the one rule, expected
  // release counted); the server refuses the others too.
  const actionDay = parisDayOf(action.startsAt);
  const candidates = (people.data?.people ?? []).filter((p) => !convoked.has(p.id));
  const reasonOf = (p: PersonSummary): string | null => {
    if (!place) return null;
    switch (placeProblem(heldOn(p, actionDay), place)) {
      case null:
        return null;
      case "outsideEstablishment":
        return isDetentionSiteKind(place.kind) ? "détenu·e dans un autre établissement" : "détenu·e";
      case "insideEstablishment":
        return "pas détenu·e dans cet établissement";
    }
  };
  const eligible = candidates.filter((p) => reasonOf(p) === null);
  const refused = candidates.flatMap((p) => {
    const why = reasonOf(p);
    return why ? [{ p, why }] : [];
  });
  const placeHint =
    refused.length === 0 || !place
      ? undefined
      : isDetentionSiteKind(place.kind)
        ? `Action tenue ${atPlace(place.name)} : seules les personnes qui y sont détenues peuvent y être convoquées (les autres sont en fin de liste).`
        : "Les personnes détenues ne peuvent être convoquées qu'aux actions tenues dans leur établissement (elles sont en fin de liste).";
  const chosen = candidates.find((p) => p.id === personId);
  const chosenHeld = chosen !== undefined && heldOn(chosen, actionDay) !== null;
  const convoke = useMutation({
    mutationFn: () =>
      call(actionsRoutes.convoke, {
        params: { actionId: action.id },
        body: { personId, notifySms: sms && !chosenHeld, notifyEmail: mail && !chosenHeld },
      }),
    onMutate: () => {
      errors.clear();
      setDone(null);
    },
    onSuccess: async () => {
      const who = people.data?.people.find((p) => p.id === personId);
      setDone(`${who ? `${who.lastName.toUpperCase()} ${who.firstName}` : "La personne"} est convoqué·e.`);
      setPersonId("");
      await queryClient.invalidateQueries({ queryKey: ["convocations"] });
    },
    onError: (error) => errors.showApiError(error),
  });
  return (
    <form
      className="fr-mt-3w"
      onSubmit={(e) => {
        e.preventDefault();
        if (errors.check(chosenSchema, { personId })) convoke.mutate();
      }}
      noValidate
    >
      <h3 className="fr-h5">Convoquer une personne</h3>
      <p className="fr-text--sm">
        La convocation suit le circuit habituel : SMS ou courriel de convocation et de rappel, lettre à
        imprimer, statut à renseigner. Une personne détenue ne reçoit ni SMS ni courriel.
      </p>
      {errors.summary}
      {done && <p role="status">{done}</p>}
      {/* Without it nobody is offered: said, with « Réessayer » (fault review, 2026-12-06). */}
      <ErrorAlert error={people.error} title="La liste des personnes ne peut pas être lue pour l'instant" />
      <Select
        label={labels.personId}
        hint={placeHint}
        {...errors.state("personId")}
        nativeSelectProps={{
          ...errors.native("personId"),
          value: personId,
          onChange: (e) => setPersonId(e.target.value),
        }}
      >
        <option value="" disabled>
          Choisissez la personne
        </option>
        {eligible.map((p) => (
          <option key={p.id} value={p.id}>
            {p.lastName.toUpperCase()} {p.firstName}
          </option>
        ))}
        {refused.length > 0 && (
          <optgroup label="Ne peuvent pas être convoquées à cette action">
            {refused.map(({ p, why }) => (
              <option key={p.id} value={p.id} disabled>
                {p.lastName.toUpperCase()} {p.firstName} — {why}
              </option>
            ))}
          </optgroup>
        )}
      </Select>
      {chosenHeld ? (
        <p className="fr-text--sm">
          Personne détenue : ni SMS ni courriel, la lettre est remise par l'établissement.
        </p>
      ) : (
        <Checkbox
          legend="Prévenir la personne"
          orientation="horizontal"
          options={[
            {
              label: "Par SMS",
              nativeInputProps: { checked: sms, onChange: (e) => setSms(e.target.checked) },
            },
            {
              label: "Par courriel",
              nativeInputProps: { checked: mail, onChange: (e) => setMail(e.target.checked) },
            },
          ]}
        />
      )}
      <Button type="submit" disabled={convoke.isPending}>
        Convoquer à l'action
      </Button>
    </form>
  );
}
