import { describe, expect, it } from "vitest";
import { createDrawQueue } from "./drawQueue";

/** A queue whose tasks run when the test says so. */
function queueWithManualTasks() {
  const tasks: (() => void)[] = [];
  const queue = createDrawQueue((run) => tasks.push(run));
  const runNextTask = (): void => tasks.shift()?.();
  return { queue, tasks, runNextTask };
}

describe("chart draw queue", () => {
  it("draws nothing before a chart comes near the viewport", () => {
    const { queue, tasks } = queueWithManualTasks();
    const drawn: string[] = [];
    queue.add(() => drawn.push("trend"));
    expect(tasks).toHaveLength(0);
    expect(drawn).toEqual([]);
  });

  it("draws the charts shown one per task, in the order they were shown", () => {
    const { queue, tasks, runNextTask } = queueWithManualTasks();
    const drawn: string[] = [];
    const trend = queue.add(() => drawn.push("trend"));
    const partners = queue.add(() => drawn.push("partners"));
    partners.show();
    trend.show();
    trend.show();
    expect(tasks).toHaveLength(1);
    runNextTask();
    expect(drawn).toEqual(["partners"]);
    runNextTask();
    expect(drawn).toEqual(["partners", "trend"]);
    expect(tasks).toHaveLength(0);
  });

  it("never draws a chart cancelled before its turn", () => {
    const { queue, runNextTask } = queueWithManualTasks();
    const drawn: string[] = [];
    const trend = queue.add(() => drawn.push("trend"));
    const partners = queue.add(() => drawn.push("partners"));
    trend.show();
    partners.show();
    trend.cancel();
    runNextTask();
    runNextTask();
    expect(drawn).toEqual(["partners"]);
  });

  it("draws every chart left at once before printing, and none of them a second time", () => {
    const { queue, runNextTask } = queueWithManualTasks();
    const drawn: string[] = [];
    queue.add(() => drawn.push("trend")).show();
    queue.add(() => drawn.push("partners"));
    queue.add(() => drawn.push("needs")).cancel();
    queue.drawAll();
    expect(drawn.sort()).toEqual(["partners", "trend"]);
    runNextTask();
    queue.drawAll();
    expect(drawn).toHaveLength(2);
  });
});
