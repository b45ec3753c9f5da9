/**
 * Settings of `quarry generate` written down: the presets of
 * `configs/presets/` and YAML files of the same keys (`--config`), and the
 * shards a run splits into (`--shard K/N`).
 *
 * @module
 */
export * from "./config.ts";
export * from "./parse.ts";
export * from "./builtin.ts";
export * from "./shard.ts";
