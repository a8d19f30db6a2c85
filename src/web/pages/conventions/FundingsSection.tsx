import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { Link } from "react-router";
import { parisDay } from "../../../common/calendar";
import { directoryKindLabels } from "../../../common/directory/directory.schema";
import { fundingsRoutes } from "../../../common/fundings/fundings.routes";
import type { FundingView } from "../../../common/fundings/fundings.schema";
import { formatEuros } from "../../../common/money";
import { call } from "../../api/client";
import { useMutation } from "../../api/useMutation";
import { formatShortDate } from "../../components/dates";
import { ErrorAlert } from "../../components/ErrorAlert";
import { ScrollableTable } from "../../components/ScrollableTable";
import { SuccessNotice } from "../../components/SuccessNotice";
import { useStepFocus } from "../../components/useStepFocus";
import { FundingForm } from "./FundingForm";

const thisYear = (): number => Number(parisDay(new Date()).slice(0, 4));

const periodText = (f: FundingView): string =>
  f.startsOn || f.endsOn ? `${formatShortDate(f.startsOn)} – ${formatShortDate(f.endsOn)}` : "—";

function AttachedTo({ f }: { f: FundingView }): ReactNode {
  if (f.convention) return <Link to={`/conventions/${f.convention.id}`}>{f.convention.title}</Link>;
  if (f.collectiveAction)
    return (
      <>
        <Link to={`/actions/${f.collectiveAction.id}`}>{f.collectiveAction.title}</Link>
        {f.collectiveAction.cancelled && (
          <>
            {" "}
            <Badge severity="warning" small noIcon>
              action annulée
            </Badge>
          </>
        )}
      </>
    );
  return "—";
}

/** Remove a funding recorded by mistake, after saying which one. */
function RemoveButton({ f, onDone }: { f: FundingView; onDone: (message: string) => void }): ReactNode {
  const [asking, setAsking] = useState(false);
  // The button gives way to the question, and back ("Annuler", Échap): the focus follows.
  const step = useStepFocus(asking, asking ? () => setAsking(false) : undefined);
  const remove = useMutation({
    mutationFn: () => call(fundingsRoutes.remove, { params: { fundingId: f.id } }),
    onSuccess: () => onDone("Financement supprimé."),
  });
  if (!asking)
    return (
      // Inline: the button stays beside "Modifier".
      <div ref={step.box} style={{ display: "inline" }}>
        <Button
          size="small"
          priority="tertiary"
          className="fr-mb-1w"
          onClick={step.opens(() => setAsking(true))}
        >
          Supprimer<span className="fr-sr-only"> le financement « {f.purpose} »</span>
        </Button>
      </div>
    );
  return (
    <div ref={step.box}>
      <p className="fr-text--sm fr-mb-1w">
        Supprimer le financement « {f.purpose} » ? Ses {formatEuros(f.amountEuros)} ne compteront plus dans
        les financements reçus en {f.year}.
      </p>
      <ErrorAlert error={remove.error} />
      <Button size="small" className="fr-mr-1w" onClick={() => remove.mutate()} disabled={remove.isPending}>
        Confirmer la suppression
      </Button>
      <Button size="small" priority="secondary" onClick={() => setAsking(false)}>
        Annuler
      </Button>
    </div>
  );
}

/**
 * The direction's fundings (ADR 0039): received per year (total and count), the year's fundings
 * with their funder, purpose and what they are attached to; record, correct, remove.
 */
export function FundingsSection({ structureId }: { structureId: string }): ReactNode {
  const queryClient = useQueryClient();
  const [year, setYear] = useState<number | null>(null);
  const [editing, setEditing] = useState<FundingView | "new" | null>(null);
  const [notice, setNotice] = useState<{ key: number; text: string } | null>(null);
  const query = useQuery({
    queryKey: ["fundings", structureId, year],
    queryFn: () =>
      call(fundingsRoutes.list, { params: { structureId }, query: year === null ? {} : { year } }),
  });
  const years = query.data?.years ?? [];
  // The year shown: the one chosen, else the latest year with a funding, else this year.
  const shown = year ?? years[0]?.year ?? thisYear();
  const list = (query.data?.fundings ?? []).filter((f) => f.year === shown);
  const done = async (text: string) => {
    setEditing(null);
    setNotice({ key: Date.now(), text });
    await queryClient.invalidateQueries({ queryKey: ["fundings"] });
  };
  return (
    <section aria-labelledby="fundings-title" className="fr-mt-6w">
      <h2 id="fundings-title">Financements reçus</h2>
      <p>
        Subventions et cofinancements reçus par la structure (préfecture, collectivités…), par année
        budgétaire. Ces montants ne sont pas des données personnelles : ils figurent aussi au tableau de bord
        du comité de pilotage.
      </p>
      <ErrorAlert error={query.error} />
      {notice && <SuccessNotice key={notice.key} message={notice.text} />}
      {years.length === 0 && query.data && <p>Aucun financement enregistré.</p>}
      {years.length > 0 && (
        <ScrollableTable
          caption="Financements reçus par année"
          headers={["Année", "Montant reçu", "Financements"]}
          data={years.map((y) => [String(y.year), formatEuros(y.totalEuros), String(y.count)])}
        />
      )}
      {years.length > 0 && (
        // The DSFR takes the margin off a group that is its parent's last child: the year's table
        // below would touch the select.
        <div className="fr-col-12 fr-col-md-4 fr-mb-3w">
          <Select
            label="Année affichée"
            nativeSelectProps={{ value: String(shown), onChange: (e) => setYear(Number(e.target.value)) }}
          >
            {years.map((y) => (
              <option key={y.year} value={y.year}>
                {y.year}
              </option>
            ))}
          </Select>
        </div>
      )}
      {list.length > 0 && (
        <ScrollableTable
          stacked
          caption={`Financements de ${shown}`}
          headers={["Financeur", "Objet", "Montant", "Période", "Rattaché à", "Actions"]}
          data={list.map((f) => [
            <span key="funder">
              {f.funder.name}
              <br />
              <span className="fr-text--xs">{directoryKindLabels[f.funder.kind]}</span>
            </span>,
            f.purpose,
            <span key="amount" data-amount={f.amountEuros}>
              {formatEuros(f.amountEuros)}
            </span>,
            periodText(f),
            <AttachedTo key="attached" f={f} />,
            <span key="actions">
              <Button
                size="small"
                priority="secondary"
                className="fr-mr-1w fr-mb-1w"
                onClick={() => setEditing(f)}
              >
                Modifier<span className="fr-sr-only"> le financement « {f.purpose} »</span>
              </Button>
              <RemoveButton f={f} onDone={done} />
            </span>,
          ])}
        />
      )}
      {editing === null ? (
        <Button iconId="fr-icon-add-line" priority="secondary" onClick={() => setEditing("new")}>
          Enregistrer un financement
        </Button>
      ) : (
        <>
          <h3>{editing === "new" ? "Nouveau financement" : "Modifier le financement"}</h3>
          <FundingForm
            key={editing === "new" ? "new" : editing.id}
            structureId={structureId}
            {...(editing === "new" ? {} : { funding: editing })}
            defaultYear={shown}
            onSaved={done}
            onCancel={() => setEditing(null)}
          />
        </>
      )}
    </section>
  );
}

/** On a convention's page (direction): the fundings it brings. */
export function ConventionFundings({
  structureId,
  conventionId,
}: {
  structureId: string;
  conventionId: string;
}): ReactNode {
  const query = useQuery({
    queryKey: ["fundings", structureId, "convention", conventionId],
    queryFn: () => call(fundingsRoutes.list, { params: { structureId }, query: { conventionId } }),
  });
  const fundings = query.data?.fundings ?? [];
  return (
    <section aria-labelledby="convention-fundings" className="fr-mb-4w">
      <h2 id="convention-fundings">Financements</h2>
      <ErrorAlert error={query.error} />
      {query.data && fundings.length === 0 && (
        <p>Aucun financement rattaché. Les financements s'enregistrent sur la page Conventions.</p>
      )}
      {fundings.length > 0 && (
        <ul>
          {fundings.map((f) => (
            <li key={f.id}>
              {f.year} — {f.funder.name} : {formatEuros(f.amountEuros)} ({f.purpose})
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
