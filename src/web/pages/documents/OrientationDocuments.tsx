import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { documentsRoutes } from "../../../common/documents/documents.routes";
import { documentKindLabels } from "../../../common/documents/documents.schema";
import { call, routeUrl } from "../../api/client";
import { formatShortDate } from "../../components/dates";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useDownloads } from "../../components/useDownloads";
import { formatSize } from "./upload";

/**
 * On the receiving side of an orientation: the documents the structure shared with it, downloadable
 * (each download journaled) while the person's consent covers the receiver.
 */
export function OrientationDocuments({ orientationId }: { orientationId: string }): ReactNode {
  const query = useQuery({
    queryKey: ["documents", "orientation", orientationId],
    queryFn: () => call(documentsRoutes.ofOrientation, { params: { orientationId } }),
  });
  const files = useDownloads();
  if (query.error) return <ErrorAlert error={query.error} />;
  if (!query.data || query.data.documents.length === 0) return null;
  return (
    <div className="fr-mb-1w">
      <p className="fr-text--sm fr-mb-0">Documents partagés avec vous :</p>
      <ul className="fr-text--sm">
        {query.data.documents.map((d) => (
          <li key={d.shareId}>
            <a
              href={routeUrl(documentsRoutes.download, { params: { documentId: d.id } })}
              download
              onClick={files.onClick(d.title, d.title)}
            >
              {d.title}
              <span className="fr-sr-only"> (télécharger)</span>
            </a>{" "}
            — {documentKindLabels[d.kind]}, {formatSize(d.size)}, partagé le {formatShortDate(d.sharedAt)}
            {d.until ? ` jusqu'au ${formatShortDate(d.until)}` : ""}
          </li>
        ))}
      </ul>
      {files.feedback}
    </div>
  );
}
