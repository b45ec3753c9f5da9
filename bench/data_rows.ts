/**
 * Table-data throughput: Quarry's row kernel against a plain
 * @faker-js/faker script, on the same six columns (uuid4 id, full name, email
 * derived from the name, an integer, a float with 2 decimals, a date) as CSV.
 *
 * - Quarry: `writeRows` with 2 workers, N rows, to /dev/null and to a file in
 *   /tmp (removed after each run), in this process.
 * - Quarry Parquet (zstd) of the same rows to a file in /tmp.
 * - faker: bench/_faker_rows.ts in a `deno run` subprocess for M rows, timed
 *   from its first row to its last write (module loading left out).
 *
 * After a warm-up of each, the methods alternate within every round in a
 * rotating order, so drift on a shared machine hits all alike; medians and
 * the Quarry/faker ratio come from the same run. Then Quarry's CSV to
 * /dev/null runs in a subprocess at each `--peak-rows` count and its peak
 * resident size is read from `/usr/bin/time -v` (or, without it, from the
 * child's own sampling): memory should not grow with the row count.
 *
 * Usage: deno task bench:data [--rows=10000000] [--faker-rows=1000000] [--rounds=3]
 *        [--peak-rows=10000000,100000000] (--peak-rows= skips the memory runs)
 *
 * @module
 */
import { quarryParquetRows, quarryRows } from "./_quarry_rows.ts";

interface Options {
  rows: number;
  fakerRows: number;
  rounds: number;
  peakRows: number[];
}

function options(args: readonly string[]): Options {
  const o: Options = {
    rows: 10_000_000,
    fakerRows: 1_000_000,
    rounds: 3,
    peakRows: [10_000_000, 100_000_000],
  };
  for (const a of args) {
    const m = /^--(rows|faker-rows|rounds|peak-rows)=(.*)$/.exec(a);
    if (!m) throw new TypeError(`unknown argument "${a}"; see the usage in bench/data_rows.ts`);
    const numbers = m[2]!.split(",").filter((x) => x !== "").map((x) => Number(x.replaceAll("_", "")));
    if (numbers.some((n) => !Number.isInteger(n) || n <= 0)) {
      throw new TypeError(`--${m[1]} takes positive whole numbers, not "${m[2]}"`);
    }
    if (m[1] === "peak-rows") o.peakRows = numbers;
    else if (numbers.length !== 1) throw new TypeError(`--${m[1]} takes one number`);
    else if (m[1] === "rows") o.rows = numbers[0]!;
    else if (m[1] === "faker-rows") o.fakerRows = numbers[0]!;
    else o.rounds = numbers[0]!;
  }
  return o;
}

/** One timed run. */
interface Run {
  rows: number;
  bytes: number;
  ms: number;
}

const FAKER = new URL("./_faker_rows.ts", import.meta.url).pathname;
const QUARRY = new URL("./_quarry_rows.ts", import.meta.url).pathname;
const ROOT = new URL("../", import.meta.url).pathname;
const decoder = new TextDecoder();

/** Runs a bench script in a subprocess (optionally under /usr/bin/time -v); returns its JSON line and stderr. */
async function child(script: string, args: string[], permissions: string[], timed = false) {
  const deno = ["run", ...permissions, script, ...args];
  const out = await new Deno.Command(timed ? "/usr/bin/time" : "deno", {
    args: timed ? ["-v", "deno", ...deno] : deno,
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = decoder.decode(out.stderr);
  if (!out.success) throw new Error(`${script} ${args.join(" ")} failed:\n${stderr}`);
  const lines = decoder.decode(out.stdout).trim().split("\n");
  return { result: JSON.parse(lines[lines.length - 1]!), stderr };
}

const faker = async (rows: number): Promise<Run> =>
  (await child(FAKER, [String(rows), "/dev/null"], ["--allow-write=/dev/null"])).result;

async function quarryFile(rows: number, path: string): Promise<Run> {
  try {
    return await quarryRows(rows, path, 2);
  } finally {
    await Deno.remove(path).catch(() => {});
  }
}

async function hasTime(): Promise<boolean> {
  try {
    return (await Deno.stat("/usr/bin/time")).isFile;
  } catch {
    return false;
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const perSecond = (r: Run) => ({
  rowsPerSec: r.rows / (r.ms / 1000),
  mbPerSec: r.bytes / 1e6 / (r.ms / 1000),
});

const o = options(Deno.args);
const tmp = `/tmp/quarry_bench_data_${Deno.pid}.csv`;
const methods: [string, () => Promise<Run>][] = [
  ["quarry csv → /dev/null", () => quarryRows(o.rows, "/dev/null", 2)],
  ["quarry csv → /tmp file", () => quarryFile(o.rows, tmp)],
  ["faker csv → /dev/null", () => faker(o.fakerRows)],
  ["quarry parquet zstd → /tmp file", async () => {
    try {
      return await quarryParquetRows(o.rows, `${tmp}.parquet`);
    } finally {
      await Deno.remove(`${tmp}.parquet`).catch(() => {});
    }
  }],
];

console.log(
  `warm-up: quarry ${Math.min(o.rows, 1_000_000)} rows, faker ${Math.min(o.fakerRows, 20_000)} rows`,
);
await quarryRows(Math.min(o.rows, 1_000_000), "/dev/null", 2);
await faker(Math.min(o.fakerRows, 20_000));

const runs: Record<string, Run[]> = Object.fromEntries(methods.map(([m]) => [m, []]));
for (let r = 0; r < o.rounds; r++) {
  const line: string[] = [];
  for (let i = 0; i < methods.length; i++) {
    const [name, run] = methods[(i + r) % methods.length]!;
    const result = await run();
    runs[name]!.push(result);
    line.push(`${name} ${Math.round(perSecond(result).rowsPerSec)} rows/s`);
  }
  console.log(`round ${r + 1}: ${line.join(", ")}`);
}

/** Per method: median rows/s and MB/s over the rounds. */
const summary = Object.fromEntries(
  Object.entries(runs).map(([name, rs]) => [name, {
    rows: rs[0]!.rows,
    bytesPerRow: rs[0]!.bytes / rs[0]!.rows,
    rowsPerSec: median(rs.map((r) => perSecond(r).rowsPerSec)),
    mbPerSec: median(rs.map((r) => perSecond(r).mbPerSec)),
  }]),
);
const base = summary[methods[2]![0]]!;
console.log(
  `\n| method (${o.rounds} rounds, medians) | rows | bytes/row | rows/s | MB/s | vs faker (rows/s) |`,
);
console.log("|---|---|---|---|---|---|");
for (const [name, s] of Object.entries(summary)) {
  console.log(
    `| ${name} | ${s.rows} | ${s.bytesPerRow.toFixed(1)} | ${Math.round(s.rowsPerSec)} | ${
      s.mbPerSec.toFixed(1)
    } | ${(s.rowsPerSec / base.rowsPerSec).toFixed(1)}× |`,
  );
}

/** Quarry's rows/s over faker's within each round (same conditions), as a median: drift cancels. */
const roundRatios = (method: string) =>
  runs[method]!.map((r, i) => perSecond(r).rowsPerSec / perSecond(runs[methods[2]![0]]![i]!).rowsPerSec);
const perRound = Object.fromEntries(methods.slice(0, 2).map(([m]) => [m, median(roundRatios(m))]));
for (const [m, x] of Object.entries(perRound)) {
  console.log(
    `${m} / faker, median of per-round ratios: ${x.toFixed(1)}× (${
      roundRatios(m).map((r) => r.toFixed(1)).join(", ")
    })`,
  );
}

const peaks: { rows: number; peakKiB: number; source: string; sampledPeakKiB: number; rowsPerSec: number }[] =
  [];
if (o.peakRows.length > 0) {
  const timed = await hasTime();
  for (const rows of o.peakRows) {
    const { result, stderr } = await child(
      QUARRY,
      [String(rows), "/dev/null", "2"],
      ["--allow-read", "--allow-write=/dev/null"],
      timed,
    );
    const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
    peaks.push({
      rows,
      peakKiB: m ? Number(m[1]) : result.sampledPeakKiB,
      source: m ? "/usr/bin/time -v" : "sampled",
      sampledPeakKiB: result.sampledPeakKiB,
      rowsPerSec: perSecond(result).rowsPerSec,
    });
  }
  console.log("\n| quarry csv → /dev/null, subprocess | peak RSS MiB | source | sampled MiB | rows/s |");
  console.log("|---|---|---|---|---|");
  for (const p of peaks) {
    console.log(
      `| ${p.rows} rows | ${(p.peakKiB / 1024).toFixed(1)} | ${p.source} | ${
        (p.sampledPeakKiB / 1024).toFixed(1)
      } | ${Math.round(p.rowsPerSec)} |`,
    );
  }
  if (peaks.length > 1) {
    const ratio = peaks[peaks.length - 1]!.peakKiB / peaks[0]!.peakKiB;
    console.log(
      `peak at ${peaks[peaks.length - 1]!.rows} / peak at ${peaks[0]!.rows} rows: ${
        ratio.toFixed(3)
      } (goal: within 10%)`,
    );
  }
}

const quarry = summary[methods[0]![0]]!;
console.log(JSON.stringify({
  bench: "data_rows",
  rows: o.rows,
  fakerRows: o.fakerRows,
  rounds: o.rounds,
  methods: summary,
  quarryOverFaker: quarry.rowsPerSec / base.rowsPerSec,
  quarryOverFakerPerRound: perRound,
  peaks,
  peakRatio: peaks.length > 1 ? peaks[peaks.length - 1]!.peakKiB / peaks[0]!.peakKiB : null,
}));
