/**
 * Rate accuracy of `quarry workload run --tps`: each pattern at each target
 * rate for a fixed time against PostgreSQL at 127.0.0.1, reporting the rate
 * achieved (transactions finished per measured second) against the target,
 * with the response-time p99 and the schedule lag p99 beside it. dbarena
 * promises ±10 %; the aim here is ±1 %.
 *
 * Usage: deno task bench:workload-rate [seconds, default 30] [patterns, default oltp,ecommerce]
 *   [rates, default 500,2000]
 *
 * @module
 */
import { withTempDatabase } from "../tests/_database.ts";
import { workloadRun } from "./_workload.ts";

const seconds = Number(Deno.args[0] ?? 30);
const patterns = (Deno.args[1] ?? "oltp,ecommerce").split(",");
const rates = (Deno.args[2] ?? "500,2000").split(",").map(Number);

await withTempDatabase(async (url) => {
  const rows: string[] = [];
  for (const p of patterns) {
    // Loads the pattern's tables once (later runs reuse them) and warms the server.
    await workloadRun(["--pattern", p, "--db", url, "--tps", "200", "--duration", "2"]);
    for (const rate of rates) {
      const { result: r } = await workloadRun([
        "--pattern",
        p,
        "--db",
        url,
        "--tps",
        String(rate),
        "--duration",
        String(seconds),
        "--connections",
        "4",
        "--seed",
        "1",
      ]);
      const error = (r.tps / rate - 1) * 100;
      const line = `| ${p} | ${rate} | ${r.tps.toFixed(1)} | ${error >= 0 ? "+" : ""}${error.toFixed(2)}% | ${
        (r.overall.response.p99_us / 1000).toFixed(2)
      } | ${(r.overall.lag.p99_us / 1000).toFixed(2)} | ${r.totals.failed} |`;
      console.log(line);
      rows.push(line);
    }
  }
  console.log(`\n| pattern | target tps | achieved tps | error | p99 response ms | p99 lag ms | failed |`);
  console.log("|---|---|---|---|---|---|---|");
  for (const l of rows) console.log(l);
  console.log(`\n(${seconds} s per run, 4 connections, constant arrivals, PostgreSQL at 127.0.0.1)`);
});
