/**
 * For tests: a validator of `--metrics-file` lines against
 * {@link METRICS_LINE_SCHEMA}, compiled by ajv (a JSON Schema implementation,
 * so the schema itself is checked too: strict mode refuses unknown keywords).
 *
 * @module
 */
import { Ajv } from "ajv";
import { METRICS_LINE_SCHEMA } from "./metrics_schema.ts";

const ajv = new Ajv({ strict: true, allErrors: true, allowUnionTypes: true });
const validate = ajv.compile(METRICS_LINE_SCHEMA);

/** The schema's complaints about `line` (a parsed JSON value), or [] when it is valid. */
export function metricsLineErrors(line: unknown): string[] {
  if (validate(line)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? e.keyword}`);
}
