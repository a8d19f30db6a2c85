import { fillPath } from "../../../common/contract";
import { documentsRoutes } from "../../../common/documents/documents.routes";
import type { DocumentView } from "../../../common/documents/documents.schema";
import type { AppErrorBody } from "../../../common/errors";
import { ApiError, csrfHeader, sessionExpired } from "../../api/client";

/**
 * Sends a document with its fields (multipart, fields before the file), reporting the progress of
 * the upload (fetch cannot: XMLHttpRequest does). Errors as `call`'s: ApiError with the catalogue's message.
 */
export function uploadDocument(
  personId: string,
  fields: Record<string, string>,
  file: File,
  onProgress: (fraction: number) => void,
): Promise<DocumentView> {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  form.append("file", file, file.name);
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("POST", fillPath(documentsRoutes.upload.path, { personId }));
    for (const [key, value] of Object.entries(csrfHeader())) request.setRequestHeader(key, value);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.onload = () => {
      let payload: unknown = {};
      try {
        payload = JSON.parse(request.responseText);
      } catch {}
      if (request.status >= 200 && request.status < 300) return resolve(payload as DocumentView);
      const body = payload as Partial<AppErrorBody>;
      if (request.status === 401) return reject(sessionExpired(payload));
      reject(
        new ApiError(request.status, {
          code: body.code ?? (request.status === 413 ? "document.tooLarge" : "request.internal"),
          message:
            body.message ??
            (request.status === 413
              ? "Le fichier dépasse 10 Mo : photographiez le document en qualité normale ou scannez-le en PDF plus léger."
              : "Le serveur ne répond pas. Réessayez plus tard."),
          ...(body.issues ? { issues: body.issues } : {}),
        }),
      );
    };
    request.onerror = () =>
      reject(
        new ApiError(0, { code: "request.internal", message: "La connexion a été interrompue. Réessayez." }),
      );
    request.send(form);
  });
}

/** "850 ko", "3,2 Mo". */
export function formatSize(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} ko`;
  return `${(bytes / (1024 * 1024)).toLocaleString("fr-FR", { maximumFractionDigits: 1 })} Mo`;
}
