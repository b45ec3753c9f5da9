/**
 * Monitoring of a running `generate`: the figures of each interval
 * (statements/s, MB/s, RSS, uniqueness, per-worker rates) as a terminal
 * line, JSON lines of a versioned schema and a Prometheus endpoint, and the
 * alert rules of a config's `monitoring:` block.
 *
 * @module
 */
export * from "./sample.ts";
export * from "./meter.ts";
export * from "./alerts.ts";
export * from "./units.ts";
export * from "./metrics_schema.ts";
export * from "./progress_line.ts";
export * from "./monitor.ts";
export * from "./exposition.ts";
export * from "./prometheus.ts";
