/**
 * What monitoring costs `generate`: dml_unique to /dev/null with 2 workers,
 * without monitoring and with `--metrics-file` written every second,
 * side by side. Each round runs both, in alternating order (AB, BA, ...), so
 * drift on a shared machine hits both alike. Per run: the rate from
 * `--stats` (wall clock) and the process's CPU time (user + sys, from
 * `/usr/bin/time`); per round the ratio monitored/unmonitored of each; the
 * medians of those ratios are the result. Then, in this process, what the
 * monitor's own work costs: the microseconds of one tick (a sample, the
 * alert check, a JSON line written), which a run pays once an interval.
 *
 * Usage: deno task bench:monitor [--count=10M] [--rounds=6]
 *
 * @module
 */

import { Monitor } from "../core/monitor/monitor.ts";
import { metricsLine } from "../core/monitor/metrics_schema.ts";
import { planNone } from "../core/engine/uniqueness.ts";

const args = Object.fromEntries(
  Deno.args.filter((a) => a.startsWith("--")).map((a) => a.slice(2).split("=") as [string, string]),
);
const count = args.count ?? "10M";
const rounds = Number(args.rounds ?? 6);
const main = new URL("../cli/main.ts", import.meta.url).pathname;
const metrics = await Deno.makeTempFile({ prefix: "quarry-monitor-bench-", suffix: ".jsonl" });

interface Result {
  rate: number;
  cpu: number;
  lines: number;
}

async function once(monitored: boolean): Promise<Result> {
  const extra = monitored ? ["--metrics-file", metrics, "--metrics-interval", "1s"] : [];
  const out = await new Deno.Command("/usr/bin/time", {
    args: [
      "-f",
      "cpu %U %S",
      Deno.execPath(),
      "run",
      "--allow-read",
      "--allow-write",
      main,
      "generate",
      "--seed",
      "1",
      "-n",
      count,
      "--workers",
      "2",
      "-o",
      "/dev/null",
      "--stats",
      ...extra,
    ],
    stdout: "null",
    stderr: "piped",
  }).output();
  const err = new TextDecoder().decode(out.stderr);
  if (!out.success) throw new Error(err);
  const stats = JSON.parse(err.split("\n").find((l) => l.startsWith("{"))!) as {
    statementsPerSecond: number;
  };
  const [, user, sys] = /cpu ([\d.]+) ([\d.]+)/.exec(err)!;
  const lines = monitored ? (await Deno.readTextFile(metrics)).trimEnd().split("\n").length : 0;
  return { rate: stats.statementsPerSecond, cpu: Number(user) + Number(sys), lines };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

try {
  await once(false); // warm-up: module cache, page cache
  const rateRatios: number[] = [], cpuRatios: number[] = [];
  console.log(`dml_unique, ${count} statements, 2 workers, to /dev/null; metrics file every 1 s`);
  console.log(
    "round  order  plain st/s  monitored st/s  rate ratio  plain cpu s  monitored cpu s  cpu ratio  lines",
  );
  for (let r = 0; r < rounds; r++) {
    const plainFirst = r % 2 === 0;
    const first = await once(!plainFirst);
    const second = await once(plainFirst);
    const [plain, mon] = plainFirst ? [first, second] : [second, first];
    const rr = mon.rate / plain.rate, cr = mon.cpu / plain.cpu;
    rateRatios.push(rr);
    cpuRatios.push(cr);
    console.log(
      `${String(r + 1).padStart(5)}  ${plainFirst ? "AB" : "BA"}   ${String(plain.rate).padStart(10)}  ${
        String(mon.rate).padStart(14)
      }  ${rr.toFixed(3).padStart(10)}  ${plain.cpu.toFixed(2).padStart(11)}  ${
        mon.cpu.toFixed(2).padStart(15)
      }  ${cr.toFixed(3).padStart(9)}  ${String(mon.lines).padStart(5)}`,
    );
  }
  console.log(
    `median ratio monitored/plain: rate ${median(rateRatios).toFixed(3)}, CPU time ${
      median(cpuRatios).toFixed(3)
    }`,
  );
  console.log(`one tick of the monitor: ${tickMicroseconds().toFixed(1)} µs (once a --metrics-interval)`);
} finally {
  await Deno.remove(metrics);
}

/** Microseconds of a tick with a metrics file and an alert rule, the median of 5 runs of 5,000 ticks. */
function tickMicroseconds(): number {
  const file = Deno.openSync(metrics, { write: true, truncate: true });
  const encoder = new TextEncoder();
  try {
    const runs: number[] = [];
    for (let r = 0; r < 5; r++) {
      const m = new Monitor({
        filter: planNone("structural"),
        planned: 1e9,
        workers: 2,
        intervalMs: 1000,
        rss: () => Deno.memoryUsage().rss,
        rules: [{ kind: "rate_below", threshold: 1, forSeconds: 0, fatal: false }],
        sinks: [(s) => void file.writeSync(encoder.encode(metricsLine(s)))],
      });
      const t0 = performance.now();
      for (let i = 1; i <= 5000; i++) {
        m.progress(i * 4096, i * 4096 * 254, 0, 0, i & 1);
        m.tick();
      }
      runs.push(((performance.now() - t0) * 1000) / 5000);
    }
    return median(runs);
  } finally {
    file.close();
  }
}
