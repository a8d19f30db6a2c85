import { describe, expect, it } from "vitest";
import { retentionCountWords } from "./countWords";

const counts = {
  archived: 0,
  erased: 0,
  journalRows: 0,
  messages: 0,
  sessions: 0,
  signInAttempts: 0,
  failed: 0,
};

describe("retentionCountWords", () => {
  it("agrees each count with its number, never « dossier(s) archivé(s) »", () => {
    expect(retentionCountWords({ ...counts, archived: 1, erased: 3, journalRows: 0, messages: 2 })).toEqual([
      "1 dossier archivé",
      "3 dossiers effacés (données personnelles)",
      "0 ligne du journal supprimée",
      "2 SMS ou courriels vidés de leur contenu",
    ]);
    expect(retentionCountWords({ ...counts, failed: 2 }).at(-1)).toBe(
      "2 effacements en échec, repris au prochain passage",
    );
    expect(retentionCountWords({ ...counts, archived: 5, erased: 3 }).join(" · ")).not.toMatch(/\(s\)/);
  });
});
