/**
 * The run configuration the recorder and merge tests share: a fixed
 * open-loop run of the `tpcb` name, varied per test by `overrides`.
 *
 * @module
 */
import type { RunMeta } from "./result.ts";

/** A run's meta for tests, with `overrides` applied. */
export function testMeta(overrides: Partial<RunMeta> = {}): RunMeta {
  return {
    pattern: "tpcb",
    target: "postgres://quarry@127.0.0.1:5432/test",
    server_version: "17.2",
    connections: 4,
    scale: 10,
    seed: "0x2a",
    mode: "open",
    arrival: "constant",
    target_tps: 1000,
    warmup_s: 0,
    started_at: "2024-05-01T12:00:00.000Z",
    quarry_version: "0.0.0-test",
    ...overrides,
  };
}
