import { Input } from "@codegouvfr/react-dsfr/Input";
import { type ReactNode, useEffect, useRef, useState } from "react";
import { impossibleSearchDateMessage } from "../../../common/people/searchDate";

const DEBOUNCE_MS = 250;

/**
 * The search box of the people lists: results follow the typing (after a 250 ms pause, or at once on
 * Entrée). The input keeps its own text, so focus and caret never move; the address changes under it,
 * and a change of the address from elsewhere (back, Réinitialiser) is brought back into the box.
 */
export function PeopleSearchInput({
  value,
  onSearch,
}: {
  value: string;
  onSearch: (search: string) => void;
}): ReactNode {
  const [text, setText] = useState(value);
  const committed = useRef(value);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => {
    if (value !== committed.current) {
      committed.current = value;
      setText(value);
    }
  }, [value]);
  useEffect(() => () => clearTimeout(timer.current), []);
  const commit = (next: string) => {
    clearTimeout(timer.current);
    if (next.trim() === committed.current.trim()) return;
    committed.current = next.trim();
    onSearch(next.trim());
  };
  // A day that does not exist (31/02/1990) finds nobody: said under the box, not left to "Aucune personne".
  const badDate = impossibleSearchDateMessage(text);
  return (
    <search className="fr-mb-2w">
      <Input
        label="Rechercher une personne"
        state={badDate ? "error" : "default"}
        stateRelatedMessage={badDate ?? undefined}
        hintText="Nom, prénom (dans n'importe quel ordre, avec ou sans accents), téléphone ou date de naissance (jj/mm/aaaa)"
        nativeInputProps={{
          type: "search",
          autoComplete: "off",
          spellCheck: false,
          maxLength: 100,
          value: text,
          onChange: (e) => {
            const next = e.target.value;
            setText(next);
            clearTimeout(timer.current);
            timer.current = setTimeout(() => commit(next), DEBOUNCE_MS);
          },
          onKeyDown: (e) => {
            if (e.key === "Enter") {
              e.preventDefault();
              commit(text);
            }
          },
        }}
      />
    </search>
  );
}
