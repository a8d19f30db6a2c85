import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Tabs } from "@codegouvfr/react-dsfr/Tabs";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, Fragment, type ReactNode, useEffect, useRef, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { formatDateTime } from "../../../common/dateFormat";
import { newsletterRoutes } from "../../../common/newsletter/newsletter.routes";
import {
  type Block,
  type BlockType,
  blockTypeLabels,
  blockTypes,
  type IssueDetail,
  issueBodySchema,
  previousQuarter,
} from "../../../common/newsletter/newsletter.schema";
import { call, routeUrl } from "../../api/client";
import { useRecordId } from "../../api/requestId";
import { useSession } from "../../api/session";
import { useMutation } from "../../api/useMutation";
import { parisDayOf } from "../../components/dates";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useFormErrors } from "../../components/form/useFormErrors";
import { usePageTitle } from "../../components/pageTitle";
import { SuccessNotice } from "../../components/SuccessNotice";
import { useStepFocus } from "../../components/useStepFocus";
import { BlockEditor, type EditedBlock } from "./BlockEditor";
import { RemovedBlockNotice, useBlockRemoval } from "./BlockRemoval";
import { IssueView } from "./IssueView";
import { countsText } from "./NewsletterListPage";

let keyCounter = 0;
const withKey = (block: Block): EditedBlock => {
  keyCounter += 1;
  return { ...block, key: `block-${keyCounter}` };
};
const withoutKey = ({ key: _key, ...block }: EditedBlock): Block => block as Block;

function newBlock(type: BlockType): EditedBlock {
  switch (type) {
    case "text":
      return withKey({ type, markdown: "" });
    case "upcoming_actions":
      return withKey({ type, weeks: 6 });
    case "conventions":
      return withKey({ type, since: null });
    case "key_figures":
      return withKey({ type, quarter: previousQuarter(parisDayOf()) });
  }
}

/** Whether the composer holds changes the saved draft does not have (the send would leave them out). */
function differsFromSaved(issue: IssueDetail | null, title: string, blocks: EditedBlock[]): boolean {
  if (!issue) return true;
  // As the server would store it (texts trimmed); what it would refuse is not saved either.
  const parsed = issueBodySchema.safeParse({ title, blocks: blocks.map(withoutKey) });
  if (!parsed.success) return true;
  return parsed.data.title !== issue.title || canonical(parsed.data.blocks) !== canonical(issue.blocks);
}

/** JSON with each object's keys sorted: the same blocks read the same whatever the key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

function Composer({
  issue,
  onUnsavedChange,
}: {
  issue: IssueDetail | null;
  /** Told whether the composer holds unsaved changes (the send section warns before sending). */
  onUnsavedChange?: (unsaved: boolean) => void;
}): ReactNode {
  const { structureId } = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [title, setTitle] = useState(issue?.title ?? "");
  const [blocks, setBlocks] = useState<EditedBlock[]>(() =>
    issue
      ? issue.blocks.map(withKey)
      : [newBlock("text"), newBlock("upcoming_actions"), newBlock("conventions")],
  );
  const [saved, setSaved] = useState(0);
  const unsaved = differsFromSaved(issue, title, blocks);
  useEffect(() => onUnsavedChange?.(unsaved), [unsaved, onUnsavedChange]);
  const labels: Record<string, string> = { title: "Titre de la lettre", blocks: "Blocs" };
  blocks.forEach((b, i) => {
    const name = `Bloc ${i + 1}`;
    if (b.type === "text") labels[`blocks.${i}.markdown`] = `${name} : texte`;
    if (b.type === "upcoming_actions") labels[`blocks.${i}.weeks`] = `${name} : nombre de semaines`;
    if (b.type === "conventions") labels[`blocks.${i}.since`] = `${name} : date de début`;
    if (b.type === "key_figures") labels[`blocks.${i}.quarter`] = `${name} : trimestre`;
  });
  const errors = useFormErrors("newsletter", labels);
  // A new draft's id, kept until it is saved: sending again after a lost answer is safe (ADR 0036).
  const record = useRecordId(["newsletters"]);
  const save = useMutation({
    mutationFn: (body: { title: string; blocks: Block[] }) =>
      issue
        ? call(newsletterRoutes.update, { params: { issueId: issue.id }, body })
        : call(newsletterRoutes.create, {
            params: { structureId: structureId as string },
            body: { ...body, id: record.id },
          }),
    onSuccess: async (saved) => {
      record.saved();
      await queryClient.invalidateQueries({ queryKey: ["newsletters"] });
      await queryClient.invalidateQueries({ queryKey: ["newsletter", saved.id] });
      setSaved((n) => n + 1);
      if (!issue) navigate(`/lettre-information/${saved.id}`, { replace: true });
    },
    onError: async (error) => {
      errors.showApiError(error);
      await record.failed(error);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body = { title, blocks: blocks.map(withoutKey) };
    if (errors.check(issueBodySchema, body)) save.mutate(body);
  };
  const update = (i: number, next: EditedBlock) =>
    setBlocks((list) => list.map((b, j) => (j === i ? next : b)));
  const move = (i: number, delta: -1 | 1) =>
    setBlocks((list) => {
      const copy = [...list];
      const [taken] = copy.splice(i, 1);
      if (taken) copy.splice(i + delta, 0, taken);
      return copy;
    });
  const removal = useBlockRemoval(blocks, setBlocks);
  const notice = <RemovedBlockNotice removal={removal} />;
  const noticeAt = removal.removed?.index;
  return (
    <form onSubmit={submit} noValidate aria-label="Composer la lettre">
      {errors.summary}
      <Input
        label={labels.title}
        hintText="Par exemple « Lettre de juin : forum emploi et nouvelle convention CAF »."
        {...errors.state("title")}
        nativeInputProps={{
          ...errors.native("title"),
          value: title,
          maxLength: 200,
          onChange: (e) => setTitle(e.target.value),
        }}
      />
      <h2 className="fr-h4">Blocs de la lettre</h2>
      {blocks.length === 0 && <p>Aucun bloc : ajoutez-en au moins un ci-dessous.</p>}
      {blocks.map((block, i) => (
        <Fragment key={block.key}>
          {i === noticeAt && notice}
          <BlockEditor
            block={block}
            index={i}
            count={blocks.length}
            errors={errors}
            onChange={(next) => update(i, next)}
            onMove={(delta) => move(i, delta)}
            onRemove={() => removal.remove(i)}
          />
        </Fragment>
      ))}
      {noticeAt !== undefined && noticeAt >= blocks.length && notice}
      <fieldset className="newsletter-add-block">
        <legend className="fr-text--sm fr-text--bold fr-mb-1w">Ajouter un bloc à la fin de la lettre</legend>
        <ul className="fr-btns-group fr-btns-group--inline-md fr-btns-group--sm fr-btns-group--icon-left">
          {blockTypes.map((type) => (
            <li key={type}>
              <Button
                type="button"
                priority="secondary"
                iconId="fr-icon-add-line"
                onClick={() => setBlocks((list) => [...list, newBlock(type)])}
              >
                {blockTypeLabels[type]}
              </Button>
            </li>
          ))}
        </ul>
      </fieldset>
      {saved > 0 && !unsaved && <SuccessNotice key={saved} message="Brouillon enregistré." />}
      <Button type="submit" disabled={save.isPending}>
        Enregistrer le brouillon
      </Button>
    </form>
  );
}

function Preview({ issue }: { issue: IssueDetail }): ReactNode {
  const query = useQuery({
    queryKey: ["newsletter", issue.id, "preview", issue.title, JSON.stringify(issue.blocks)],
    queryFn: () => call(newsletterRoutes.preview, { params: { issueId: issue.id } }),
  });
  if (query.error) return <ErrorAlert error={query.error} />;
  if (!query.data) return <p>Chargement de l'aperçu…</p>;
  return (
    <Tabs
      label="Aperçu de la lettre"
      tabs={[
        { label: "Page web", content: <IssueView content={query.data.content} level={3} />, isDefault: true },
        {
          label: "Courriel HTML",
          content: (
            <iframe
              title="Aperçu du courriel"
              src={routeUrl(newsletterRoutes.previewEmail, { params: { issueId: issue.id } })}
              sandbox=""
              className="newsletter-email-frame"
            />
          ),
        },
        {
          label: "Version texte du courriel",
          content: <pre className="newsletter-text-alternative">{query.data.text}</pre>,
        },
      ]}
    />
  );
}

function Send({ issue, unsaved }: { issue: IssueDetail; unsaved: boolean }): ReactNode {
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  // Asking replaces the button, and answering brings it back: the focus follows (useStepFocus).
  const step = useStepFocus(confirming, confirming ? () => setConfirming(false) : undefined);
  const send = useMutation({
    mutationFn: () =>
      call(newsletterRoutes.send, { params: { issueId: issue.id }, body: { recipients: issue.subscribers } }),
    onSuccess: async () => {
      setConfirming(false);
      await queryClient.invalidateQueries({ queryKey: ["newsletter", issue.id] });
      await queryClient.invalidateQueries({ queryKey: ["newsletters"] });
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: ["newsletter", issue.id] }),
  });
  const n = issue.subscribers;
  if (n === 0)
    return <p>Aucun contact de l'annuaire n'est abonné à la lettre : il n'y a personne à qui l'envoyer.</p>;
  return (
    <section className="fr-mt-6w fr-mb-4w">
      <h2 className="fr-h4">Envoi</h2>
      <ErrorAlert error={send.error} title="La lettre n'est pas partie" />
      <div ref={step.box}>
        {confirming && unsaved ? (
          <div
            className="fr-alert fr-alert--warning fr-mb-2w"
            role="alertdialog"
            aria-labelledby="send-unsaved-title"
          >
            <h3 className="fr-alert__title" id="send-unsaved-title">
              Vos dernières modifications ne sont pas enregistrées
            </h3>
            <p>
              La lettre part telle qu'enregistrée : enregistrez d'abord le brouillon (bouton « Enregistrer le
              brouillon » plus haut), vérifiez l'aperçu, puis envoyez-la.
            </p>
            <Button priority="secondary" className="fr-mt-2w" onClick={() => setConfirming(false)}>
              Revenir à la lettre
            </Button>
          </div>
        ) : confirming ? (
          <div
            className="fr-alert fr-alert--warning fr-mb-2w"
            role="alertdialog"
            aria-labelledby="send-confirm-title"
          >
            <h3 className="fr-alert__title" id="send-confirm-title">
              Envoyer la lettre à {n} contact{n > 1 ? "s" : ""} abonné{n > 1 ? "s" : ""} ?
            </h3>
            <p>L'envoi est définitif : la lettre ne pourra plus être modifiée.</p>
            <ul className="fr-btns-group fr-btns-group--inline-md fr-mt-2w">
              <li>
                <Button onClick={() => send.mutate()} disabled={send.isPending}>
                  Confirmer l'envoi à {n} contact{n > 1 ? "s" : ""}
                </Button>
              </li>
              <li>
                <Button priority="secondary" onClick={() => setConfirming(false)}>
                  Ne pas envoyer
                </Button>
              </li>
            </ul>
          </div>
        ) : (
          <Button
            iconId="fr-icon-mail-line"
            iconPosition="left"
            onClick={step.opens(() => setConfirming(true))}
          >
            Envoyer la lettre…
          </Button>
        )}
      </div>
    </section>
  );
}

export function NewsletterIssuePage(): ReactNode {
  const { issueId } = useParams();
  const isNew = !issueId;
  usePageTitle(isNew ? "Nouvelle lettre d'information" : "Lettre d'information");
  const query = useQuery({
    queryKey: ["newsletter", issueId],
    queryFn: () => call(newsletterRoutes.get, { params: { issueId: issueId as string } }),
    enabled: !isNew,
  });
  const issue = query.data ?? null;
  const [composerKey, setComposerKey] = useState(issueId ?? "new");
  useEffect(() => setComposerKey(issueId ?? "new"), [issueId]);
  const [unsaved, setUnsaved] = useState(false);
  // Sent from this page: the send section is gone, the sent notice takes the focus.
  const sentNotice = useRef<HTMLDivElement>(null);
  const seenDraft = useRef(false);
  useEffect(() => {
    if (issue?.status === "draft") seenDraft.current = true;
    else if (issue && seenDraft.current) {
      seenDraft.current = false;
      sentNotice.current?.focus();
    }
  }, [issue]);
  return (
    <>
      <p>
        <Link to="/lettre-information">Toutes les lettres</Link>
      </p>
      <h1>
        {isNew
          ? "Nouvelle lettre d'information"
          : issue
            ? `Lettre n° ${issue.number} — ${issue.title}`
            : "Lettre d'information"}
      </h1>
      <ErrorAlert error={query.error} />
      {isNew && <Composer key="new" issue={null} />}
      {issue?.status === "draft" && (
        <>
          <Composer key={composerKey} issue={issue} onUnsavedChange={setUnsaved} />
          <h2 className="fr-h4 fr-mt-6w">Aperçu</h2>
          <p className="fr-text--sm">
            L'aperçu montre le dernier brouillon enregistré, rempli avec les données du jour.
          </p>
          <Preview issue={issue} />
          <Send issue={issue} unsaved={unsaved} />
        </>
      )}
      {issue && issue.status !== "draft" && (
        <>
          <div ref={sentNotice} tabIndex={-1}>
            <Alert
              severity="success"
              className="fr-mb-4w"
              title={`Envoyée le ${issue.sentAt ? formatDateTime(issue.sentAt) : "—"}`}
              description={countsText(issue.counts)}
            />
          </div>
          <Button priority="secondary" className="fr-mb-4w" onClick={() => query.refetch()}>
            Actualiser les comptes
          </Button>
          <Preview issue={issue} />
        </>
      )}
    </>
  );
}
