import { For } from "solid-js";
import type { HealthProblem } from "./healthApi";
import { tHealth } from "./healthT";

/** The sentence for one problem (the same on the health page and in the banner). */
export function problemSentence(problem: HealthProblem): string {
  return tHealth(`problem.${problem.code}`, { subject: problem.subject ?? "" });
}

export function HealthProblems(props: { problems: HealthProblem[] }) {
  return (
    <ul class="list-disc space-y-1 pl-6">
      <For each={props.problems}>{(problem) => <li>{problemSentence(problem)}</li>}</For>
    </ul>
  );
}
