import { useQuery } from "@tanstack/react-query";
import { useEffect } from "react";
import { peopleRoutes } from "../../../common/people/people.routes";
import { call } from "../../api/client";

/** A person's file (its read is journaled by the server), shared by the file's pages. */
export function usePersonFile(personId: string) {
  return useQuery({
    queryKey: ["people", personId],
    queryFn: () => call(peopleRoutes.get, { params: { personId } }),
  });
}

/** "NOM Prénom". */
export function personDisplayName(p: { lastName: string; firstName: string }): string {
  return `${p.lastName.toUpperCase()} ${p.firstName}`;
}

/** The browser tab says whose file it is (the polish work adds a shared helper later). */
export function useDocumentTitle(title: string | null): void {
  useEffect(() => {
    if (title) document.title = `${title} — Passerelle`;
  }, [title]);
}
