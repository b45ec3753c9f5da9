/**
 * Quarry as a library: the grammar DSL, schemas, compilation and generation,
 * the data generator (`dataGenerator`), generate's presets and configs
 * (`parseConfig`, `preset`) and the monitoring of a run (`Monitor`; the
 * Prometheus endpoint is `core/monitor/prometheus.ts`, left out here so that
 * a grammar module importing this one does not load prom-client).
 * A grammar module imports from here (`import { grammar } from "quarry"`)
 * and default-exports its Grammar.
 *
 * @module
 */
export * from "./dsl/grammar.ts";
export { GrammarError } from "./dsl/errors.ts";
export { compile, type Program } from "./compile/compile.ts";
export type * from "./schema/model.ts";
export { parseSchema, SchemaError, schemaFromJson } from "./schema/parse.ts";
export { createSchemaStatements } from "./schema/ddl.ts";
export { setupStatements } from "./setup/setup.ts";
export { formatSeed, parseSeed, randomSeed, type Seed } from "./seed.ts";
export { generate, LOCAL_LIMIT } from "./engine/generate.ts";
export { LocalGenerator } from "./engine/local.ts";
export { GenerationError } from "./engine/errors.ts";
export { quoteIdent, quoteLiteral } from "./dialect/quote.ts";
export {
  DataGenerator,
  dataGenerator,
  type DataGeneratorOptions,
  type WriteOptions,
} from "./data/generator.ts";
export type * from "./data/spec.ts";
export { parseSpec, SpecError } from "./data/parse_spec.ts";
export {
  type GenerateConfig,
  isPreset,
  parseConfig,
  parseShard,
  preset,
  presetNames,
  presetText,
  type Shard,
  shardRange,
} from "./presets/mod.ts";
export { Monitor, type MonitorOptions } from "./monitor/monitor.ts";
export { RunMeter } from "./monitor/meter.ts";
export { type AlertRule, AlertWatch } from "./monitor/alerts.ts";
export { METRICS_SCHEMA_ID, type MonitorSample } from "./monitor/sample.ts";
export { METRICS_LINE_SCHEMA, metricsLine } from "./monitor/metrics_schema.ts";
export { progressLine } from "./monitor/progress_line.ts";
