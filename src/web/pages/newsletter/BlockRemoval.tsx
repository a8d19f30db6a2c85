import { Button } from "@codegouvfr/react-dsfr/Button";
import { type ReactNode, type RefObject, useEffect, useRef, useState } from "react";
import { blockTypeLabels } from "../../../common/newsletter/newsletter.schema";
import type { EditedBlock } from "./BlockEditor";

/** The id of a block's "Retirer" button, where the focus returns once the block is restored. */
export const removeButtonId = (block: EditedBlock): string => `${block.key}-remove`;

interface Removed {
  block: EditedBlock;
  /** Where the block stood (0-based), and where "Annuler" puts it back. */
  index: number;
}

export interface BlockRemoval {
  /** The block last removed, while it may still be restored. */
  removed: Removed | null;
  remove(index: number): void;
  undo(): void;
  noticeRef: RefObject<HTMLParagraphElement | null>;
}

/**
 * "Retirer" takes a block out at once and leaves a notice at its place, "Bloc retiré. Annuler":
 * the focus goes to the notice (read out, "Annuler" next), and "Annuler" puts the block back where
 * it stood with the focus on its own "Retirer" button. Only the last removal can be undone.
 */
export function useBlockRemoval(
  blocks: EditedBlock[],
  setBlocks: (update: (list: EditedBlock[]) => EditedBlock[]) => void,
): BlockRemoval {
  const [removed, setRemoved] = useState<Removed | null>(null);
  const [restored, setRestored] = useState<EditedBlock | null>(null);
  const noticeRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (removed) noticeRef.current?.focus();
  }, [removed]);
  useEffect(() => {
    if (restored) document.getElementById(removeButtonId(restored))?.focus();
  }, [restored]);
  return {
    removed,
    noticeRef,
    remove(index) {
      const block = blocks[index];
      if (!block) return;
      setBlocks((list) => list.filter((b) => b.key !== block.key));
      setRemoved({ block, index });
      setRestored(null);
    },
    undo() {
      if (!removed) return;
      const { block, index } = removed;
      setBlocks((list) => [...list.slice(0, index), block, ...list.slice(index)]);
      setRemoved(null);
      setRestored(block);
    },
  };
}

export function RemovedBlockNotice({ removal }: { removal: BlockRemoval }): ReactNode {
  if (!removal.removed) return null;
  const { block, index } = removal.removed;
  return (
    <div className="fr-alert fr-alert--info fr-alert--sm fr-mb-3w">
      <p ref={removal.noticeRef} tabIndex={-1} className="newsletter-removed-notice">
        Bloc {index + 1} ({blockTypeLabels[block.type]}) retiré.{" "}
        <Button type="button" priority="secondary" size="small" onClick={removal.undo}>
          Annuler<span className="fr-sr-only"> le retrait du bloc {index + 1}</span>
        </Button>
      </p>
    </div>
  );
}
