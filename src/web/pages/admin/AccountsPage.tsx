import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { createModal } from "@codegouvfr/react-dsfr/Modal";
import { Pagination } from "@codegouvfr/react-dsfr/Pagination";
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useEffect, useState } from "react";
import { useSearchParams } from "react-router";
import { ofName } from "../../../common/placeName";
import { roleLabels } from "../../../common/roles";
import type { Account } from "../../../common/structures/accounts.schema";
import { structuresRoutes } from "../../../common/structures/structures.routes";
import { call } from "../../api/client";
import { useMutation } from "../../api/useMutation";
import { formatShortDateTime } from "../../components/dates";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useModalOpener } from "../../components/modalOpener";
import { usePageTitle } from "../../components/pageTitle";
import { ScrollableTable } from "../../components/ScrollableTable";
import { SuccessNotice } from "../../components/SuccessNotice";

const confirmModal = createModal({ id: "account-confirm", isOpenedByDefault: false });

type Change = { account: Account; disable: boolean };

function countText(total: number): string {
  if (total === 0) return "Aucun compte";
  return total === 1 ? "1 compte" : `${total.toLocaleString("fr-FR")} comptes`;
}

function Memberships({ account }: { account: Account }): ReactNode {
  if (account.memberships.length === 0) return <>Aucune structure</>;
  return (
    <ul className="fr-my-0">
      {account.memberships.map((m) => (
        <li key={m.structureName}>
          {m.structureName} : {m.roles.map((r) => roleLabels[r]).join(", ")}
          {!m.active && " (désactivé dans la structure)"}
        </li>
      ))}
    </ul>
  );
}

function State({ account }: { account: Account }): ReactNode {
  if (account.disabled)
    return (
      <Badge severity="error" small>
        Compte désactivé
      </Badge>
    );
  if (account.activationPending)
    return (
      <Badge severity="info" small>
        Activation en attente
      </Badge>
    );
  return (
    <Badge severity="success" small>
      Actif
    </Badge>
  );
}

/** What the confirmation says: who, and what it does everywhere. */
function ConfirmText({ change }: { change: Change }): ReactNode {
  const { account, disable } = change;
  const structures = account.memberships.map((m) => m.structureName).join(", ");
  return disable ? (
    <>
      <p>
        {account.displayName} ({account.email}) ne pourra plus se connecter à Passerelle, dans aucune de ses
        structures{structures ? ` (${structures})` : ""}.
      </p>
      <p>
        Ses sessions ouvertes sont fermées immédiatement, partout. Ses rôles ne changent pas : vous pourrez
        réactiver le compte.
      </p>
    </>
  ) : (
    <p>
      {account.displayName} ({account.email}) pourra de nouveau se connecter, avec les rôles qu'il ou elle a
      encore dans ses structures{structures ? ` (${structures})` : ""}.
    </p>
  );
}

/**
 * The platform administrator's accounts (page "Comptes"): any account of any structure, found by
 * name or e-mail, with its structures and roles, and the disabling or enabling of the account
 * everywhere, after a confirmation. No person's data here.
 */
export function AccountsPage(): ReactNode {
  usePageTitle("Comptes");
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const search = params.get("recherche") ?? "";
  const page = Math.max(1, Number(params.get("page")) || 1);
  const [typed, setTyped] = useState(search);
  // Back, forward or a link: the box says what the list shows.
  useEffect(() => setTyped(search), [search]);
  const [change, setChange] = useState<Change | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const openConfirm = useModalOpener(confirmModal);
  const query = useQuery({
    queryKey: ["accounts", search, page],
    queryFn: () => call(structuresRoutes.accounts, { query: { ...(search ? { search } : {}), page } }),
    placeholderData: keepPreviousData,
  });
  const apply = useMutation({
    mutationFn: ({ account, disable }: Change) =>
      call(disable ? structuresRoutes.disableAccount : structuresRoutes.enableAccount, {
        params: { userId: account.id },
      }),
    onSuccess: async (_, { account, disable }) => {
      setDone(`Compte ${ofName(account.displayName)} ${disable ? "désactivé" : "réactivé"}.`);
      await queryClient.invalidateQueries({ queryKey: ["accounts"] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setDone(null);
    const next = new URLSearchParams();
    if (typed.trim()) next.set("recherche", typed.trim());
    setParams(next);
  };
  const ask = (next: Change, event: { currentTarget: HTMLElement }) => {
    setChange(next);
    setDone(null);
    apply.reset();
    openConfirm(event);
  };
  const data = query.data;
  const pages = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;
  return (
    <>
      <h1>Comptes</h1>
      <p>
        Cherchez un compte dans toutes les structures, par son nom ou son adresse électronique. Désactiver un
        compte l'empêche de se connecter partout et ferme ses sessions ; les rôles dans chaque structure se
        gèrent depuis la page « Agents » de la structure.
      </p>
      <search>
        <form onSubmit={submit} aria-label="Chercher un compte" className="fr-mb-3w">
          <Input
            label="Nom ou adresse électronique"
            hintText="Une partie suffit, avec ou sans accents"
            nativeInputProps={{
              type: "search",
              autoComplete: "off",
              spellCheck: false,
              maxLength: 100,
              value: typed,
              onChange: (e) => setTyped(e.target.value),
            }}
          />
          <Button type="submit" iconId="fr-icon-search-line" iconPosition="left">
            Rechercher
          </Button>
        </form>
      </search>
      {done && <SuccessNotice message={done} />}
      <ErrorAlert error={apply.error} title="Le compte n'a pas changé" />
      <ErrorAlert error={query.error} />
      <p role="status" aria-live="polite" className="fr-text--bold fr-mb-1w">
        {data
          ? `${countText(data.total)}${search ? ` pour « ${search} »` : ""}${pages > 1 ? ` · page ${data.page} sur ${pages}` : ""}`
          : query.isPending
            ? "Chargement…"
            : ""}
      </p>
      {data && data.accounts.length === 0 && (
        <p>
          {search
            ? "Aucun compte ne porte ce nom ni cette adresse. Vérifiez l'orthographe, ou cherchez une partie seulement."
            : "Aucun compte à afficher."}
        </p>
      )}
      {data && data.accounts.length > 0 && (
        <ScrollableTable
          stacked
          caption="Comptes"
          noCaption
          headers={[
            "Nom",
            "Adresse électronique",
            "Structures et rôles",
            "Dernière connexion",
            "État",
            "Action",
          ]}
          data={data.accounts.map((a) => [
            a.displayName,
            a.email,
            <Memberships key="m" account={a} />,
            a.lastLoginAt ? formatShortDateTime(a.lastLoginAt) : "Aucune connue",
            <State key="s" account={a} />,
            a.permissions.disable ? (
              <Button
                key="a"
                size="small"
                priority="tertiary"
                onClick={(event) => ask({ account: a, disable: true }, event)}
              >
                Désactiver le compte<span className="fr-sr-only"> {ofName(a.displayName)}</span>
              </Button>
            ) : a.permissions.enable ? (
              <Button
                key="a"
                size="small"
                priority="secondary"
                onClick={(event) => ask({ account: a, disable: false }, event)}
              >
                Réactiver le compte<span className="fr-sr-only"> {ofName(a.displayName)}</span>
              </Button>
            ) : (
              <span key="a" className="fr-text--sm">
                Votre compte
              </span>
            ),
          ])}
        />
      )}
      {data && pages > 1 && (
        <Pagination
          key={data.page}
          count={pages}
          defaultPage={data.page}
          showFirstLast
          getPageLinkProps={(n) => ({
            to: `?${new URLSearchParams({ ...(search ? { recherche: search } : {}), page: String(n) })}`,
          })}
        />
      )}
      <confirmModal.Component
        titleAs="h2"
        title={
          change
            ? `${change.disable ? "Désactiver" : "Réactiver"} le compte ${ofName(change.account.displayName)} ?`
            : "Compte"
        }
        buttons={[
          { children: "Annuler", priority: "secondary" },
          {
            children: change?.disable ? "Désactiver le compte" : "Réactiver le compte",
            onClick: () => change && apply.mutate(change),
          },
        ]}
      >
        {change && <ConfirmText change={change} />}
      </confirmModal.Component>
    </>
  );
}
