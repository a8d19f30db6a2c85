import { useQuery } from "@tanstack/react-query";
import { peopleRoutes } from "../../../common/people/people.routes";
import { call } from "../../api/client";

/** A person's file (its read is journaled by the server), shared by the file's pages. */
export function usePersonFile(personId: string) {
  return useQuery({
    queryKey: ["people", personId],
    queryFn: () => call(peopleRoutes.get, { params: { personId } }),
  });
}

export { personDisplayName } from "../../../common/people/personName";
