/**
 * The workload patterns shipped with Quarry (`configs/workloads/*.yaml`).
 * The YAML files are the source; they are imported as text, so they need no
 * read permission and travel inside a bundle.
 *
 * @module
 */
import oltp from "../../configs/workloads/oltp.yaml" with { type: "text" };
import { didYouMean } from "../data/_spec_error.ts";
import type { WorkloadDefinition } from "./definition.ts";
import { checkWorkload, readWorkloadText } from "./parse.ts";

const TEXTS: Record<string, string> = {
  oltp,
};

/** Names of the patterns, in the order `workload list` shows them. */
export function patternNames(): string[] {
  return Object.keys(TEXTS);
}

/** A pattern's YAML text, comments included. */
export function patternText(name: string): string {
  const text = Object.hasOwn(TEXTS, name) ? TEXTS[name] : undefined;
  if (text === undefined) {
    throw new RangeError(
      `unknown pattern "${name}"${didYouMean(name, patternNames())}; the patterns are ${
        patternNames().join(", ")
      }`,
    );
  }
  return text;
}

/** The path a pattern's messages name. */
export function patternFile(name: string): string {
  return `configs/workloads/${name}.yaml`;
}

/** A pattern, checked. */
export function pattern(name: string): WorkloadDefinition {
  return checkWorkload(readWorkloadText(patternText(name), patternFile(name)));
}
