/**
 * `quarry workload run --find-max --slo OBJ` against a manual sweep on the
 * same server: the search's answer, then open-loop runs at fixed rates from
 * 60 % to 140 % of it in 5 % steps, each as long as one search step, up to
 * the rate at which the objective first breaks. Both judge a rate the
 * same way: a miss counts only when a second run at that rate misses too
 * (one stall of this shared machine must not decide). The search converges
 * when its answer is within 5 % of that rate.
 *
 * Each sweep run is a fresh process, and a fresh process runs its first
 * seconds on code V8 has not optimized yet, so near the capacity a 1 s
 * warm-up measures the client's start-up more than the database (on this
 * machine a fresh process broke p99<50ms at 8,640 tps where the search's
 * warm process held 10,800). The sweep therefore warms up for 5 s (then
 * measures the same seconds as a search step); the search's steps run in
 * one process that is warm after its first step.
 *
 * Both run against a private server (initdb on a loopback port) whose
 * checkpoints are spaced out (max_wal_size 16GB, checkpoint_timeout 1h):
 * on the shared server, a WAL-triggered checkpoint every minute or two at
 * these rates makes the same rate's p99 swing tenfold with the history of
 * writes before it, so neither a search nor a sweep would measure the same
 * database twice.
 *
 * Usage: deno task bench:workload-find-max [pattern, default oltp] [objective, default p99<10ms]
 *   [seconds per step, default 10]
 *
 * @module
 */
import { withPrivateServer } from "../tests/_private_server.ts";
import { workloadRun } from "./_workload.ts";

const pattern = Deno.args[0] ?? "oltp";
const slo = Deno.args[1] ?? "p99<10ms";
const seconds = Number(Deno.args[2] ?? 10);

const limitUs = (() => {
  const m = /^p99<(\d+(?:\.\d+)?)ms$/.exec(slo);
  if (!m) throw new Error(`this bench sweeps p99 objectives in ms, like p99<10ms (got ${slo})`);
  return Number(m[1]) * 1000;
})();

await withPrivateServer(async (server) => {
  const url = server.url;
  const common = ["--pattern", pattern, "--db", url, "-c", "4", "--seed", "1"];
  await workloadRun([...common, "--tps", "200", "--duration", "2"]); // loads the tables
  const t0 = performance.now();
  const search = await workloadRun([...common, "--find-max", "--slo", slo, "--duration", String(seconds)]);
  const found = search.result.find_max!;
  const searchS = (performance.now() - t0) / 1000;
  console.log(search.stderr.split("\n").filter((l) => /^quarry: {2}|highest rate/.test(l)).join("\n"));
  console.log(`search: ${found.rate} tps in ${found.steps.length} steps, ${searchS.toFixed(0)} s\n`);

  let lastPass = 0;
  let firstBreak: number | undefined;
  console.log("| rate | achieved | p99 ms | meets it |\n|---|---|---|---|");
  for (let share = 0.6; share <= 1.401; share += 0.05) {
    const rate = Math.round(found.rate * share);
    // Each sweep step measures as long as one search step, after a warm-up long enough for a fresh process.
    const step = async () => {
      const { result: r } = await workloadRun(
        [...common, "--tps", String(rate), "--duration", String(seconds), "--warmup", "5"],
      );
      const done = r.totals.succeeded + r.totals.failed;
      const meets = r.overall.response.p99_us < limitUs && r.tps >= rate * 0.99 &&
        r.totals.succeeded >= done * 0.99;
      console.log(
        `| ${rate} | ${r.tps.toFixed(0)} | ${(r.overall.response.p99_us / 1000).toFixed(2)} | ${
          meets ? "yes" : "no"
        } |`,
      );
      return meets;
    };
    // A miss is confirmed by a second run after a 5 s rest, as --find-max does.
    const rest = () => new Promise((resolve) => setTimeout(resolve, 5000));
    const meets = (await step()) || (await rest(), await step());
    if (!meets) await rest();
    if (meets && firstBreak === undefined) lastPass = rate;
    if (!meets && firstBreak === undefined) firstBreak = rate;
    // Past the first break the sweep has its answer; the rates above it only overload the server.
    if (firstBreak !== undefined) break;
  }
  const breaks = firstBreak ?? Infinity;
  const off = firstBreak === undefined ? NaN : (found.rate / breaks - 1) * 100;
  console.log(
    `\nsweep: last rate meeting ${slo} before the first break ${lastPass} tps, first break ${breaks} tps\n` +
      `--find-max: ${found.rate} tps, ${off >= 0 ? "+" : ""}${off.toFixed(1)}% from the first break ` +
      `(${Math.abs(off) <= 5 ? "within" : "outside"} 5%)`,
  );
}, { settings: { max_wal_size: "16GB", checkpoint_timeout: "1h", shared_buffers: "256MB" } });
