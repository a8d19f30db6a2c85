/**
 * An error's message without the list its issues carry one by one (the convocations a change would
 * strand, ADR 0016): the server says them inline for any reader of the message alone; a page that
 * shows the issues as a list drops them from the sentence, so that they are not read twice and the
 * message stays short on a phone. A message that does not hold the list is kept as it is.
 */
export function withoutListedIssues(message: string, issues: readonly { message: string }[]): string {
  const inline = issues
    .slice(0, 10)
    .map((issue) => issue.message)
    .join(" ; ");
  const listed = ` : ${inline}${issues.length > 10 ? " ; …" : ""}.`;
  return inline !== "" && message.includes(listed) ? message.replace(listed, ".") : message;
}
