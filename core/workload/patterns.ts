/**
 * The workload patterns shipped with Quarry (`configs/workloads/*.yaml`).
 * The YAML files are the source; they are imported as text, so they need no
 * read permission and travel inside a bundle.
 *
 * @module
 */
import oltp from "../../configs/workloads/oltp.yaml" with { type: "text" };
import ecommerce from "../../configs/workloads/ecommerce.yaml" with { type: "text" };
import olap from "../../configs/workloads/olap.yaml" with { type: "text" };
import reporting from "../../configs/workloads/reporting.yaml" with { type: "text" };
import time_series from "../../configs/workloads/time_series.yaml" with { type: "text" };
import social_media from "../../configs/workloads/social_media.yaml" with { type: "text" };
import iot from "../../configs/workloads/iot.yaml" with { type: "text" };
import read_heavy from "../../configs/workloads/read_heavy.yaml" with { type: "text" };
import write_heavy from "../../configs/workloads/write_heavy.yaml" with { type: "text" };
import balanced from "../../configs/workloads/balanced.yaml" with { type: "text" };
import { didYouMean } from "../data/_spec_error.ts";
import type { WorkloadDefinition } from "./definition.ts";
import { checkWorkload, readWorkloadText } from "./parse.ts";

const TEXTS: Record<string, string> = {
  oltp,
  ecommerce,
  olap,
  reporting,
  time_series,
  social_media,
  iot,
  read_heavy,
  write_heavy,
  balanced,
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
