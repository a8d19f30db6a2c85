import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { peopleRoutes } from "../../../common/people/people.routes";
import { call } from "../../api/client";
import { formatDate } from "../../components/dates";
import { ErrorAlert } from "../../components/ErrorAlert";

/** The direction folds a duplicate record into this one, after a confirmation. */
export function MergePanel({ personId, name }: { personId: string; name: string }): ReactNode {
  const queryClient = useQueryClient();
  const [search, setSearch] = useState("");
  const [duplicateId, setDuplicateId] = useState("");
  const [confirming, setConfirming] = useState(false);
  const candidates = useQuery({
    queryKey: ["people", "search", search],
    // A duplicate may be a closed file: search them all.
    queryFn: () => call(peopleRoutes.list, { query: { search, fileState: "all" } }),
    enabled: search.trim().length >= 2,
  });
  const merge = useMutation({
    mutationFn: () => call(peopleRoutes.merge, { params: { personId }, body: { duplicateId } }),
    onSuccess: async () => {
      setConfirming(false);
      setDuplicateId("");
      await queryClient.invalidateQueries();
    },
  });
  const others = (candidates.data?.people ?? []).filter((p) => p.id !== personId);
  const chosen = others.find((p) => p.id === duplicateId);
  return (
    <details className="fr-mb-3w">
      <summary>Fusionner un doublon dans ce dossier</summary>
      <Input
        label="Rechercher le doublon (nom ou prénom)"
        nativeInputProps={{ value: search, onChange: (e) => setSearch(e.target.value) }}
      />
      {others.length > 0 && (
        <Select
          label="Doublon"
          nativeSelectProps={{ value: duplicateId, onChange: (e) => setDuplicateId(e.target.value) }}
        >
          <option value="">Choisir</option>
          {others.map((p) => (
            <option key={p.id} value={p.id}>
              {p.lastName.toUpperCase()} {p.firstName}, né·e le {formatDate(p.birthDate)}
            </option>
          ))}
        </Select>
      )}
      {merge.isSuccess && <p className="fr-text--sm">Doublon fusionné.</p>}
      <ErrorAlert error={merge.error} title="Fusion impossible" />
      {chosen && !confirming && (
        <Button priority="secondary" onClick={() => setConfirming(true)}>
          Fusionner
        </Button>
      )}
      {chosen && confirming && (
        <div role="alert">
          <p className="fr-text--sm">
            Tout ce qui concerne {chosen.lastName.toUpperCase()} {chosen.firstName} (convocations, démarches,
            notes…) sera rattaché à {name}, et ce doublon disparaîtra des listes. Cette opération est
            journalisée.
          </p>
          <Button onClick={() => merge.mutate()} disabled={merge.isPending}>
            Confirmer la fusion
          </Button>
        </div>
      )}
    </details>
  );
}
