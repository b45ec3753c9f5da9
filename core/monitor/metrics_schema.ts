/**
 * The JSON lines of `generate --metrics-file`: one {@link MonitorSample} a
 * line, and {@link METRICS_LINE_SCHEMA}, the JSON Schema (draft-07) every
 * line meets. The schema is the contract: a tool reading the file can
 * check `schema` and rely on every field here.
 *
 * @module
 */
import { METRICS_SCHEMA_ID, type MonitorSample } from "./sample.ts";

const count = { type: "integer", minimum: 0 } as const;
const rate = { type: "number", minimum: 0 } as const;
const ratio = { type: "number", minimum: 0, maximum: 1 } as const;

/**
 * The JSON Schema of one line of `--metrics-file`. Closed at every level
 * (`additionalProperties: false`), so a field added without a schema change
 * is caught by the tests; readers should still ignore fields they do not
 * know, since later versions of this schema (`/2`, ...) only add fields.
 */
export const METRICS_LINE_SCHEMA = {
  $schema: "http://json-schema.org/draft-07/schema#",
  $id: "https://quarry.invalid/schemas/generate-metrics-1.json",
  title: "One line of quarry generate --metrics-file",
  type: "object",
  additionalProperties: false,
  required: [
    "schema",
    "kind",
    "outcome",
    "time",
    "elapsed_s",
    "interval_s",
    "statements",
    "planned",
    "bytes",
    "statements_per_s",
    "mb_per_s",
    "rss_bytes",
    "unique",
    "workers",
    "alerts",
  ],
  properties: {
    schema: { const: METRICS_SCHEMA_ID },
    kind: { enum: ["interval", "final"] },
    outcome: { enum: ["completed", "interrupted", "alert", "failed", null] },
    time: { type: "string", pattern: "^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$" },
    elapsed_s: rate,
    interval_s: rate,
    statements: count,
    planned: count,
    bytes: count,
    statements_per_s: rate,
    mb_per_s: rate,
    rss_bytes: count,
    unique: {
      type: "object",
      additionalProperties: false,
      required: ["mode", "replaced", "exhausted", "replaced_ratio", "filter_fill", "false_positive_rate"],
      properties: {
        mode: { enum: ["none", "structural", "bloom", "exact"] },
        replaced: count,
        exhausted: count,
        replaced_ratio: ratio,
        filter_fill: { anyOf: [ratio, { type: "null" }] },
        false_positive_rate: { anyOf: [ratio, { type: "null" }] },
      },
    },
    workers: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        additionalProperties: false,
        required: ["worker", "statements", "statements_per_s"],
        properties: { worker: count, statements: count, statements_per_s: rate },
      },
    },
    alerts: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["alert", "threshold", "value", "fatal", "origin", "message"],
        properties: {
          alert: { enum: ["rate_below", "rss_above", "replaced_above"] },
          threshold: { type: "number" },
          value: { type: "number" },
          fatal: { type: "boolean" },
          origin: { type: ["string", "null"] },
          message: { type: "string" },
        },
      },
    },
  },
  allOf: [
    {
      if: { properties: { kind: { const: "final" } } },
      then: { properties: { outcome: { enum: ["completed", "interrupted", "alert", "failed"] } } },
      else: { properties: { outcome: { const: null } } },
    },
  ],
} as const;

/**
 * A sample as one line of `--metrics-file`, newline included.
 *
 * @example
 * ```ts
 * import { metricsLine } from "./metrics_schema.ts";
 * import type { MonitorSample } from "./sample.ts";
 * const line = metricsLine({ kind: "interval", statements: 5 } as MonitorSample);
 * if (!line.endsWith("}\n") || JSON.parse(line).statements !== 5) throw new Error(line);
 * ```
 */
export function metricsLine(sample: MonitorSample): string {
  return `${JSON.stringify(sample)}\n`;
}
