import { Button } from "@codegouvfr/react-dsfr/Button";
import { CallOut } from "@codegouvfr/react-dsfr/CallOut";
import { Table } from "@codegouvfr/react-dsfr/Table";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useId, useState } from "react";
import { Link } from "react-router";
import { addDays } from "../../../common/calendar";
import { homeRoutes } from "../../../common/home/home.routes";
import type { HomeNews as News, NewsEvent, Reconvoke } from "../../../common/home/home.schema";
import { call } from "../../api/client";
import { useMutation } from "../../api/useMutation";
import { formatAppointment, formatDate, parisDayOf } from "../../components/dates";
import { ErrorAlert } from "../../components/ErrorAlert";
import { SuccessNotice } from "../../components/SuccessNotice";
import { HOME_FIRST_PEOPLE, useShowAll } from "./ShowAll";

const by = (name: string | null): string => (name ? ` (${name})` : "");

function eventText(e: NewsEvent): string {
  const when = e.appointmentAt ? formatAppointment(e.appointmentAt) : "";
  switch (e.kind) {
    case "visit":
      return `Visite du ${when}${e.place ? ` à ${e.place}` : ""} enregistrée${by(e.byName)}`;
    case "missed":
      return `Absence au rendez-vous du ${when} à ${e.place}${by(e.byName)}`;
    case "excused":
      return `Rendez-vous du ${when} annulé par la personne${by(e.byName)}`;
    case "orientation_accepted":
      return `Orientation acceptée par ${e.place || "le partenaire"}`;
    case "orientation_refused":
      return `Orientation refusée par ${e.place || "le partenaire"}${e.detail ? ` : ${e.detail}` : ""}`;
    case "orientation_completed":
      return `Résultat de l'orientation (${e.place || "partenaire"})${e.detail ? ` : ${e.detail}` : ""}`;
    case "transfer_sent":
      return `Transfert accepté : dossier confié à ${e.place}${e.byName ? `, référent ${e.byName}` : ""} (dossier clôturé ici)`;
    case "transfer_received":
      return `Dossier reçu de ${e.place} : vous en êtes le référent`;
  }
}

/** Days from today to the suggested day, never negative: the booking page's `?dans=`. */
export function daysUntil(suggestedFor: string, today = parisDayOf()): number {
  let days = 0;
  for (let day = today; day < suggestedFor && days < 92; day = addDays(day, 1)) days++;
  return days;
}

function ConvokeLink({
  personId,
  reconvoke,
  personName,
}: {
  personId: string;
  reconvoke: Reconvoke;
  personName: string;
}): ReactNode {
  return (
    <Link
      className="fr-btn fr-btn--sm"
      to={`/personnes/${personId}/convoquer?dans=${daysUntil(reconvoke.suggestedFor)}`}
      title={`Convoquer ${personName} à partir du ${formatDate(reconvoke.suggestedFor)}`}
    >
      Convoquer
    </Link>
  );
}

const suggestionText = (r: Reconvoke): string =>
  `${r.counselorName ?? "Le conseiller"} propose de reconvoquer sous ${r.inDays} jours, vers le ${formatDate(r.suggestedFor)}${r.suggestion ? ` : ${r.suggestion}` : ""}.`;

/**
 * The home's news since the agent last marked them seen, one block per person. A CPIP (`referent`)
 * reads what changed for their people and the people to convoke again on the counselor's suggestion
 * (each person once); a counselor reads the answers to the orientations she sent.
 */
export function HomeNews({ referent }: { referent: boolean }): ReactNode {
  const queryClient = useQueryClient();
  const query = useQuery({ queryKey: ["home", "news"], queryFn: () => call(homeRoutes.news) });
  // The `since` the page showed when « Tout marquer comme vu » was pressed: « Annuler » puts it back.
  const [markedFrom, setMarkedFrom] = useState<string | null>(null);
  const seen = useMutation({
    mutationFn: (upTo: string) => call(homeRoutes.markSeen, { body: { upTo } }),
    onSuccess: () => {
      unseen.reset();
      return queryClient.invalidateQueries({ queryKey: ["home", "news"] });
    },
  });
  const unseen = useMutation({
    mutationFn: (upTo: string) => call(homeRoutes.markSeen, { body: { upTo, undo: true } }),
    onSuccess: () => {
      seen.reset();
      setMarkedFrom(null);
      return queryClient.invalidateQueries({ queryKey: ["home", "news"] });
    },
  });
  const newsId = useId();
  const seenHintId = useId();
  const toConvokeId = useId();
  const people = query.data?.people ?? [];
  const withNews = people.filter((p) => p.events.length > 0);
  const onlyToConvoke = people.filter((p) => p.events.length === 0 && p.reconvoke);
  const firstNews = useShowAll(withNews, {
    first: HOME_FIRST_PEOPLE,
    what: "personnes ayant du nouveau",
    controls: newsId,
  });
  const firstToConvoke = useShowAll(onlyToConvoke, {
    first: HOME_FIRST_PEOPLE,
    what: "personnes à reconvoquer",
    controls: toConvokeId,
  });
  if (query.error) return <ErrorAlert error={query.error} />;
  if (!query.data) return <p>Chargement…</p>;
  const news: News = query.data;
  return (
    <>
      <section className="fr-mb-6w" aria-labelledby="news-title">
        {/* The date on its own line, smaller: on a phone the long heading broke in the middle of it. */}
        <h2 id="news-title">
          Du nouveau
          <span className="pa-heading-detail"> depuis le {formatAppointment(news.since)}</span>
        </h2>
        <ErrorAlert error={seen.error ?? unseen.error} />
        {/* Said whatever is left: news that came after the page was shown stay listed. */}
        {seen.isSuccess && (
          <>
            <SuccessNotice
              className="fr-mb-1w"
              message={
                withNews.length === 0
                  ? "Nouvelles marquées comme vues."
                  : "Nouvelles marquées comme vues. Celles arrivées depuis l'affichage de la page restent signalées."
              }
            />
            {markedFrom && (
              <Button
                priority="tertiary"
                size="small"
                iconId="fr-icon-arrow-go-back-line"
                className="fr-mb-2w"
                disabled={unseen.isPending}
                onClick={() => unseen.mutate(markedFrom)}
              >
                Annuler : signaler de nouveau ces nouvelles
              </Button>
            )}
          </>
        )}
        {unseen.isSuccess && <SuccessNotice message="Les nouvelles sont de nouveau signalées." />}
        {withNews.length === 0 && (
          <p>
            {referent
              ? "Rien de nouveau pour les personnes dont vous êtes référent."
              : "Aucune nouvelle réponse aux orientations que vous avez envoyées."}
          </p>
        )}
        {!referent && withNews.length > 0 && (
          <p className="fr-hint-text">
            Les réponses des partenaires et de la médiation aux orientations que vous avez envoyées.
          </p>
        )}
        {/* Reachable before the list, whether or not it is shown whole: marking covers every person listed. */}
        {withNews.length > 0 && (
          <div className="fr-mb-3w">
            <Button
              priority="secondary"
              size="small"
              iconId="fr-icon-check-line"
              disabled={seen.isPending}
              onClick={() => {
                setMarkedFrom(news.since);
                seen.mutate(news.asOf);
              }}
              nativeButtonProps={{ "aria-describedby": seenHintId }}
            >
              Tout marquer comme vu
            </Button>
            <p id={seenHintId} className="fr-hint-text fr-mt-1v fr-mb-0">
              {withNews.length > firstNews.shown.length
                ? `Les nouvelles des ${withNews.length} personnes, affichées ou non, jusqu'au ${formatAppointment(news.asOf)} ; ce qui arrive ensuite restera signalé.`
                : `Les nouvelles affichées, jusqu'au ${formatAppointment(news.asOf)} ; ce qui arrive ensuite restera signalé.`}
            </p>
          </div>
        )}
        <div id={newsId}>
          {firstNews.shown.map((p) => (
            <div key={p.personId} className="fr-mb-3w">
              <h3 className="fr-h6 fr-mb-1w">
                <Link to={`/personnes/${p.personId}`}>{p.personName}</Link>
              </h3>
              <ul className="fr-mb-1w">
                {p.events.map((e) => (
                  <li key={`${e.kind}-${e.at}`}>{eventText(e)}</li>
                ))}
              </ul>
              {p.reconvoke && (
                <CallOut className="fr-mb-1w">
                  <span className="fr-mr-2w">{suggestionText(p.reconvoke)}</span>
                  <ConvokeLink personId={p.personId} personName={p.personName} reconvoke={p.reconvoke} />
                </CallOut>
              )}
            </div>
          ))}
        </div>
        {firstNews.button && <p>{firstNews.button}</p>}
      </section>
      {referent && (
        <section className="fr-mb-6w">
          <h2>À reconvoquer</h2>
          {onlyToConvoke.length === 0 ? (
            <p>
              {people.some((p) => p.reconvoke)
                ? "Aucune autre proposition de reconvocation en attente."
                : "Aucune proposition de reconvocation en attente."}
            </p>
          ) : (
            <div id={toConvokeId}>
              <Table
                caption="Personnes que le conseiller propose de reconvoquer"
                noCaption
                headers={["Personne", "Proposition", "Action"]}
                data={firstToConvoke.shown.map((p) => [
                  <Link key="p" to={`/personnes/${p.personId}`}>
                    {p.personName}
                  </Link>,
                  p.reconvoke ? suggestionText(p.reconvoke) : "",
                  p.reconvoke ? (
                    <ConvokeLink
                      key="c"
                      personId={p.personId}
                      personName={p.personName}
                      reconvoke={p.reconvoke}
                    />
                  ) : null,
                ])}
              />
              {firstToConvoke.button}
            </div>
          )}
        </section>
      )}
    </>
  );
}
