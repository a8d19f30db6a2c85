import { beforeEach } from "vitest";
import { describeOpenPages } from "./support";

// When a journey fails, say what each open page showed (its text and its last failed or slow API
// answers): a failure seen only on the CI machine can then be understood from its log.
beforeEach(({ onTestFailed, task }) => {
  onTestFailed(async () => {
    console.warn(`« ${task.name} » failed; the open pages:\n${await describeOpenPages()}`);
  });
});
