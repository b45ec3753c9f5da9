/**
 * The model of a generate config (a preset in `configs/presets/`, or a YAML
 * file of the same keys): `quarry generate`'s flags written down. Each key is
 * a flag's long name with underscores for hyphens (`fp_rate` for
 * `--fp-rate`); flags given beside `--config` override the keys.
 *
 * @module
 */
import type { AlertRule } from "../monitor/alerts.ts";

/** How a key's value is read. */
export type ConfigKind =
  | "text"
  | "name"
  | "count"
  | "seed"
  | "workers"
  | "unique"
  | "probability"
  | "boolean"
  | "weights"
  | "rotation"
  | "compression"
  | "interval"
  | "monitoring";

/** A key of a config: the flag it stands for and how its value is read. */
export interface ConfigKey {
  /** The long flag name (`fp-rate`), or undefined for a key that is no flag (`description`). */
  readonly flag: string | undefined;
  readonly kind: ConfigKind;
  /** A value to show in messages, e.g. `count: 10000`. */
  readonly example: string;
}

/**
 * The keys a config may hold today, in the order `quarry configs` names them.
 *
 * @example Every flag key names a generate flag
 * ```ts
 * import { CONFIG_KEYS } from "./config.ts";
 * if (CONFIG_KEYS.fp_rate?.flag !== "fp-rate" || CONFIG_KEYS.grammars?.flag !== "grammar") throw new Error();
 * ```
 */
export const CONFIG_KEYS: Readonly<Record<string, ConfigKey>> = {
  description: { flag: undefined, kind: "text", example: "description: What the run is for" },
  grammar: { flag: "grammar", kind: "name", example: "grammar: dml_unique" },
  grammars: { flag: "grammar", kind: "weights", example: "grammars: { dml_unique: 1 }" },
  schema: { flag: "schema", kind: "name", example: "schema: default" },
  count: { flag: "count", kind: "count", example: "count: 10000" },
  start: { flag: "start", kind: "count", example: "start: 0" },
  seed: { flag: "seed", kind: "seed", example: "seed: 42" },
  workers: { flag: "workers", kind: "workers", example: "workers: 2" },
  output: { flag: "output", kind: "name", example: "output: statements.sql" },
  unique: { flag: "unique", kind: "unique", example: "unique: structural" },
  expect: { flag: "expect", kind: "count", example: "expect: 10M" },
  fp_rate: { flag: "fp-rate", kind: "probability", example: "fp_rate: 1e-5" },
  bloom_bits: { flag: "bloom-bits", kind: "count", example: "bloom_bits: 1G" },
  emit_setup: { flag: "emit-setup", kind: "boolean", example: "emit_setup: true" },
  stats: { flag: "stats", kind: "boolean", example: "stats: true" },
  output_dir: { flag: "output-dir", kind: "name", example: "output_dir: billion/" },
  rotate: { flag: "rotate", kind: "rotation", example: "rotate: 10M" },
  compress: { flag: "compress", kind: "compression", example: "compress: zstd" },
  checkpoint_every: { flag: "checkpoint-every", kind: "interval", example: "checkpoint_every: 60s" },
  monitoring: { flag: undefined, kind: "monitoring", example: "monitoring: { interval: 10s }" },
};

/** Keys that belong inside another key, by where they go. */
export const MOVED_KEYS: Readonly<Record<string, string>> = {
  metrics: "monitoring settings go in the monitoring block, e.g. monitoring: { interval: 10s }",
  metrics_interval: "write it as monitoring: { interval: 10s }",
  metrics_file: "write it as monitoring: { file: run.metrics.jsonl }",
  metrics_port: "write it as monitoring: { port: 9464 }",
  alerts: "alerts go in the monitoring block, e.g. monitoring: { alerts: [{ rate_below: 500k }] }",
};

/** Flags that describe one invocation, not a run's settings: never config keys. */
export const FLAG_ONLY_KEYS: Readonly<Record<string, string>> = {
  shard: "each machine runs its own shard: give it as --shard K/N",
  at: "--at prints one statement: give it as a flag",
  config: "a config cannot include another",
  help: "give --help as a flag",
};

/** The unique modes generate knows. */
export const UNIQUE_MODES: readonly string[] = ["none", "bloom", "exact", "structural"];

/** A checked config: the flags its keys stand for, where each was written, and its alert rules. */
export interface GenerateConfig {
  /** The preset's name or the file's path, as messages show it. */
  readonly name: string;
  /** One line saying what the config is for ("" without a `description`). */
  readonly description: string;
  /**
   * Flag values by long flag name, as the flag parser gives them: strings, or
   * `true` for switches (`{ count: "10000", "fp-rate": "1e-05", stats: true }`).
   * A key set to its default (`workers: auto`) gives no flag.
   */
  readonly flags: Readonly<Record<string, string | boolean>>;
  /** The alert rules of its `monitoring:` block (none without one). */
  readonly alerts: readonly AlertRule[];
  /** `file:line:column` of the value that set `flag`, when a key set it. */
  origin(flag: string): string | undefined;
}
