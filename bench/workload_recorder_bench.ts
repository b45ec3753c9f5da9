/**
 * The cost of recording one transaction: `WorkloadRecorder.done()` on its
 * success path, as `quarry workload run` calls it up to ~50,000 times a
 * second. Each iteration records {@link CALLS} transactions of three kinds
 * on a simulated clock of 50,000 transactions per second (ticking every
 * 250 ms, so seconds close into the series as in a run); ns per call is
 * the iteration's time / {@link CALLS}.
 *
 *   deno bench bench/workload_recorder_bench.ts
 *
 * The other two are a bare `recordValue` of hdr-histogram-js in its
 * JavaScript and WebAssembly builds: the floor under `done()`, which records
 * five values (three latencies of the kind, response and lag of the second),
 * and why the recorder uses the WebAssembly build (about twice as fast; on a
 * 2-core machine `done()` measured 130 ns with it, 330 with the JavaScript
 * one).
 *
 * @module
 */
import { build, initWebAssemblySync } from "hdr-histogram-js";
import { newHistogram } from "../core/workload/_assemble.ts";
import { WorkloadRecorder } from "../core/workload/recorder.ts";

/** Transactions per iteration. */
const CALLS = 10_000;

// Service times of 0.3–20 ms and lags of 0–0.5 ms, drawn once (xorshift, seeded) so every iteration is alike.
const SAMPLES = 4096;
const service = new Float64Array(SAMPLES);
const lag = new Float64Array(SAMPLES);
let x = 0x9e3779b9;
const draw = () => {
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  return (x >>> 0) / 2 ** 32;
};
for (let i = 0; i < SAMPLES; i++) {
  service[i] = 0.3 * Math.exp(draw() * Math.log(20 / 0.3));
  lag[i] = draw() * 0.5;
}

const recorder = new WorkloadRecorder({
  operations: ["read", "write", "scan"],
  startMs: 0,
  targetTps: 50_000,
});
let now = 0;
let nextTick = 250;

Deno.bench({
  name: `WorkloadRecorder.done() × ${CALLS}`,
  group: "recorder",
  baseline: true,
  fn() {
    for (let i = 0; i < CALLS; i++) {
      now += 0.02;
      const k = i & (SAMPLES - 1);
      const intended = now - service[k]! - lag[k]!;
      recorder.done(i % 3, intended, intended + lag[k]!, now);
      if (now >= nextTick) {
        recorder.tick(now);
        nextTick += 250;
      }
    }
  },
});

const histogram = newHistogram();
Deno.bench({
  name: `hdr-histogram-js recordValue × ${CALLS} (js, 64-bit counts)`,
  group: "recorder",
  fn() {
    for (let i = 0; i < CALLS; i++) histogram.recordValue(Math.round(service[i & (SAMPLES - 1)]! * 1000));
  },
});

initWebAssemblySync();
const wasm = build({
  lowestDiscernibleValue: 1,
  highestTrackableValue: 3_600_000_000,
  numberOfSignificantValueDigits: 3,
  bitBucketSize: 64,
  autoResize: false,
  useWebAssembly: true,
});
Deno.bench({
  name: `hdr-histogram-js recordValue × ${CALLS} (wasm, 64-bit counts)`,
  group: "recorder",
  fn() {
    for (let i = 0; i < CALLS; i++) wasm.recordValue(Math.round(service[i & (SAMPLES - 1)]! * 1000));
  },
});
