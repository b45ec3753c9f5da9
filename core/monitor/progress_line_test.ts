import { deepStrictEqual } from "node:assert/strict";
import { progressLine } from "./progress_line.ts";
import type { MonitorSample } from "./sample.ts";

Deno.test("progressLine: a filter's figures and each worker's rate when there are several", () => {
  const line = progressLine({
    statements: 2_330_000,
    planned: 3_000_000,
    statements_per_s: 1_110_000,
    mb_per_s: 282.44,
    rss_bytes: 217 * 2 ** 20,
    unique: {
      mode: "bloom",
      replaced: 4,
      exhausted: 0,
      replaced_ratio: 0,
      filter_fill: 0.0851,
      false_positive_rate: 4.1e-6,
    },
    workers: [
      { worker: 0, statements: 1_200_000, statements_per_s: 569_000 },
      { worker: 1, statements: 1_130_000, statements_per_s: 544_500 },
    ],
  } as MonitorSample);
  deepStrictEqual(
    line,
    "2.33M/3.00M statements (77.7%), 1.11M/s, 282.4 MB/s, RSS 217 MiB, 4 replaced, 0 exhausted, " +
      "filter 8.5% (fp 4.1e-6), w0 569.0k/s w1 544.5k/s, eta 1s",
  );
});
