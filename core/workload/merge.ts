/**
 * `quarry workload merge`: one result from runs of the same pattern made at
 * the same time from several machines (one client machine cannot always
 * load a database enough). Latencies are merged through their histograms,
 * which is why a result stores their encodings: percentiles do not add.
 *
 * @module
 */
import { decodeFromCompressedBase64, type Histogram } from "hdr-histogram-js";
import {
  assembleResult,
  newHistogram,
  type OperationCounts,
  operationResult,
  type ResultParts,
} from "./_assemble.ts";
import type { ErrorSample, OperationResult, SecondSample, WorkloadResult } from "./result.ts";

/** Results that cannot be merged: another format, another pattern, a histogram that does not decode. */
export class MergeError extends Error {
  override name = "MergeError";
}

const FORMAT: WorkloadResult["format"] = "quarry-workload/1";

/**
 * Merges the results of runs made at the same time from several machines
 * into one, as if one client had made all their transactions:
 *
 * - latency histograms are decoded and added, and every percentile is
 *   recomputed from the sums, per transaction kind (matched by name) and
 *   overall;
 * - counts, rates (`tps`, goodput) and connections are summed; the duration
 *   is the longest part's; the target rate is summed when every part had one;
 * - failures by SQLSTATE are summed, keeping the first input's sample;
 * - the per-second series are merged by `t`: counts and targets summed, and
 *   for the latencies, which the series keeps only as percentiles, **the
 *   largest of the parts' percentiles**. That is an upper bound: the merged
 *   distribution at any value is the parts' distributions averaged by count,
 *   so its p-th percentile lies between the parts' smallest and largest p-th
 *   percentiles (and `max_us` is exact);
 * - the client self-check: the highest CPU, saturated when any part was,
 *   every part's warnings prefixed with its input number;
 * - `meta` is the first input's; `merged_from` counts the runs merged (an
 *   input that is itself a merge counts as its own `merged_from`).
 *
 * @param results The results, as `workload run --result` wrote them.
 * @returns The merged result.
 * @throws {MergeError} When there is nothing to merge, an input is not of
 *   format "quarry-workload/1", the inputs ran different patterns, or a
 *   histogram does not decode.
 *
 * @example A result merged with itself has twice the transactions and the same percentiles
 * ```ts
 * import { WorkloadRecorder } from "./recorder.ts";
 * import { mergeResults } from "./merge.ts";
 * const rec = new WorkloadRecorder({ operations: ["read"], startMs: 0 });
 * for (let i = 0; i < 100; i++) rec.done(0, i, i, i + 1 + (i % 10) / 10);
 * const meta = {
 *   pattern: "demo", target: "pglite", server_version: "17", connections: 2, scale: 1, seed: "0x1",
 *   mode: "closed", warmup_s: 0, started_at: "2024-01-01T00:00:00Z", quarry_version: "0",
 * } as const;
 * const one = rec.result(meta, 1000, { cpu_percent: 1, saturated: false, warnings: [] });
 * const two = mergeResults([one, one]);
 * if (two.totals.succeeded !== 200 || two.overall.response.p99_us !== one.overall.response.p99_us) {
 *   throw new Error("unexpected merge");
 * }
 * if (two.meta.connections !== 4 || two.merged_from !== 2) throw new Error("unexpected meta");
 * ```
 */
export function mergeResults(results: WorkloadResult[]): WorkloadResult {
  const first = results[0];
  if (first === undefined) throw new MergeError("Nothing to merge: give one or more workload results");
  results.forEach((r, i) => {
    if (r.format !== FORMAT) {
      throw new MergeError(
        `Input ${i + 1} is of format ${JSON.stringify(r.format)}, not "${FORMAT}": ` +
          "merge only results written by this version of 'quarry workload run'",
      );
    }
    if (r.meta.pattern !== first.meta.pattern) {
      throw new MergeError(
        `Input ${i + 1} ran pattern "${r.meta.pattern}" and input 1 ran "${first.meta.pattern}": ` +
          "merge only runs of the same pattern",
      );
    }
  });

  // Kinds in the first input's order, then any the others add.
  const names = [...new Set(results.flatMap((r) => r.operations.map((o) => o.name)))];
  const operations = names.map((name) =>
    mergeOperation(name, results.map((r, i) => [i, r.operations.find((o) => o.name === name)]))
  );
  const overallResponse = newHistogram();
  const overall = mergeOperation("all", results.map((r, i) => [i, r.overall]), overallResponse);
  const sum = (f: (r: WorkloadResult) => number) => results.reduce((s, r) => s + f(r), 0);
  const targets = results.map((r) => r.meta.target_tps);
  const meta = { ...first.meta, connections: sum((r) => r.meta.connections) };
  if (targets.every((t) => t !== undefined)) meta.target_tps = targets.reduce((s, t) => s + t!, 0);
  else delete meta.target_tps;

  const parts: ResultParts = {
    meta,
    duration_s: Math.max(...results.map((r) => r.duration_s)),
    totals: {
      attempted: sum((r) => r.totals.attempted),
      succeeded: sum((r) => r.totals.succeeded),
      failed: sum((r) => r.totals.failed),
      skipped: sum((r) => r.totals.skipped),
      late: sum((r) => r.totals.late),
      retries: sum((r) => r.totals.retries),
      reconnects: sum((r) => r.totals.reconnects),
    },
    overall,
    operations,
    series: mergeSeries(results.map((r) => r.series)),
    client: {
      cpu_percent: Math.max(...results.map((r) => r.client.cpu_percent)),
      saturated: results.some((r) => r.client.saturated),
      warnings: results.flatMap((r, i) => r.client.warnings.map((w) => `input ${i + 1}: ${w}`)),
    },
    merged_from: sum((r) => r.merged_from ?? 1),
    rates: { tps: sum((r) => r.tps), goodput: sum((r) => r["Goodput (requests/second)"]) },
  };
  return assembleResult(parts, overallResponse);
}

/**
 * One kind merged from the inputs that have it (`undefined` where an input
 * has none). `response`, when given, receives the merged response times.
 */
function mergeOperation(
  name: string,
  parts: [number, OperationResult | undefined][],
  response = newHistogram(),
): OperationResult {
  const histograms: [Histogram, Histogram, Histogram] = [response, newHistogram(), newHistogram()];
  const counts: OperationCounts = { succeeded: 0, failed: 0, retries: 0, skipped: 0, late: 0 };
  const errors = new Map<string, ErrorSample>();
  for (const [input, op] of parts) {
    if (op === undefined) continue;
    (["response", "service", "lag"] as const).forEach((kind, k) => {
      addEncoded(
        histograms[k]!,
        op.histograms[kind],
        `the ${kind} histogram of "${name}" in input ${input + 1}`,
      );
    });
    for (const key of Object.keys(counts) as (keyof OperationCounts)[]) counts[key] += op[key];
    for (const [code, e] of Object.entries(op.errors)) {
      const known = errors.get(code);
      if (known === undefined) errors.set(code, { ...e });
      else known.count += e.count;
    }
  }
  return operationResult(name, counts, histograms, errors);
}

/** Adds an encoded histogram to `into`, or throws a {@link MergeError} naming `what`. */
function addEncoded(into: Histogram, encoded: string, what: string): void {
  try {
    // Throws too when the part covers values beyond the merged histogram's hour.
    into.add(decodeFromCompressedBase64(encoded, 64));
  } catch (e) {
    throw new MergeError(`Cannot merge ${what}: ${(e as Error).message}`);
  }
}

/** The parts' series merged by second (see {@link mergeResults} for the percentiles). */
function mergeSeries(series: SecondSample[][]): SecondSample[] {
  const byT = new Map<number, SecondSample>();
  for (const part of series) {
    for (const s of part) {
      const m = byT.get(s.t);
      if (m === undefined) {
        byT.set(s.t, { ...s });
        continue;
      }
      m.tps += s.tps;
      m.succeeded += s.succeeded;
      m.failed += s.failed;
      if (s.target !== undefined) m.target = (m.target ?? 0) + s.target;
      m.p50_us = Math.max(m.p50_us, s.p50_us);
      m.p95_us = Math.max(m.p95_us, s.p95_us);
      m.p99_us = Math.max(m.p99_us, s.p99_us);
      m.max_us = Math.max(m.max_us, s.max_us);
      m.lag_p99_us = Math.max(m.lag_p99_us, s.lag_p99_us);
    }
  }
  return [...byT.values()].sort((a, b) => a.t - b.t);
}
