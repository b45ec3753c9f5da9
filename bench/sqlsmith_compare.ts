/**
 * Quarry's generation rate against SQLsmith's (`sqlsmith --dry-run`, the
 * Debian package) on the same schema and machine, one after the other in
 * one run. SQLsmith needs a live database to read the schema from, so a
 * throwaway database gets the default schema and seed rows first.
 * SQLsmith's start-up (reading the catalog) is taken out by timing a
 * 1-statement run and subtracting it.
 *
 * Usage: `deno task bench:sqlsmith [sqlsmith statements] [quarry statements]`
 *
 * @module
 */
import dmlUnique from "../grammars/dml_unique.ts";
import defaultSchema from "../configs/schemas/default.json" with { type: "json" };
import { compile } from "../core/compile/compile.ts";
import { schemaFromJson } from "../core/schema/parse.ts";
import { generate } from "../core/engine/generate.ts";
import { setupStatements } from "../core/setup/setup.ts";
import { parseSeed, type Seed } from "../core/seed.ts";
import { postgresTarget } from "../core/exec/targets.ts";
import { withTempDatabase } from "../tests/_database.ts";

const sqlsmithCount = Number(Deno.args[0] ?? 3000);
const quarryCount = Number(Deno.args[1] ?? 10_000_000);
const schema = schemaFromJson(defaultSchema);

async function sqlsmith(
  url: string,
  count: number,
): Promise<{ seconds: number; bytes: number; statements: number }> {
  const u = new URL(url);
  const conn = `host=${u.hostname} port=${u.port || 5432} user=${u.username} dbname=${u.pathname.slice(1)}`;
  const began = performance.now();
  const out = await new Deno.Command("sqlsmith", {
    args: [`--target=${conn}`, "--dry-run", `--max-queries=${count}`, "--seed=1", "--exclude-catalog"],
    stdout: "piped",
    stderr: "null",
  }).output();
  const seconds = (performance.now() - began) / 1000;
  const text = new TextDecoder().decode(out.stdout);
  return { seconds, bytes: out.stdout.length, statements: text.split(";\n").length - 1 };
}

await withTempDatabase(async (url) => {
  const pg = postgresTarget(url);
  for (const s of setupStatements(schema)) {
    const r = await pg.run(s);
    if (!r.ok) throw new Error(`setup failed: ${r.message}`);
  }
  await pg.close();

  const program = compile(dmlUnique, schema);
  const devNull = await Deno.open("/dev/null", { write: true });
  const writeAll = (b: Uint8Array) => {
    let o = 0;
    while (o < b.length) o += devNull.writeSync(b.subarray(o));
  };
  const seed = parseSeed("42") as Seed;
  await generate(program, { seed, start: 0n, count: 500_000, workers: 2, write: writeAll }); // warm-up
  const began = performance.now();
  const q = await generate(program, { seed, start: 0n, count: quarryCount, workers: 2, write: writeAll });
  const qs = (performance.now() - began) / 1000;
  devNull.close();

  await sqlsmith(url, 1); // warm the catalog cache
  const base = await sqlsmith(url, 1);
  const full = await sqlsmith(url, sqlsmithCount);
  const ss = full.seconds - base.seconds;

  const rows = [
    ["quarry dml_unique (2 workers)", q.statements / qs, q.bytes / qs, q.bytes / q.statements],
    ["sqlsmith --dry-run", full.statements / ss, full.bytes / ss, full.bytes / full.statements],
  ] as const;
  for (const [name, sps, bps, avg] of rows) {
    console.log(
      `${name.padEnd(30)} ${sps.toFixed(0).padStart(10)} statements/s ${
        (bps / 1e6).toFixed(2).padStart(8)
      } MB/s ` +
        `(${avg.toFixed(0)} bytes/statement)`,
    );
  }
  console.log(
    `ratio quarry/sqlsmith: ${(rows[0][1] / rows[1][1]).toFixed(0)}x statements/s, ` +
      `${(rows[0][2] / rows[1][2]).toFixed(0)}x bytes/s ` +
      `(sqlsmith: ${full.statements} statements in ${ss.toFixed(1)} s after ${
        base.seconds.toFixed(1)
      } s start-up)`,
  );
});
