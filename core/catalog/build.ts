/**
 * Writes a catalog snapshot from a live database:
 * `deno task catalog:snapshot postgres://postgres@127.0.0.1:5432/postgres`
 * writes `configs/catalog/postgres@<major>.json`; `deno task catalog:snapshot pglite`
 * writes `configs/catalog/pglite@<major>.json` from an in-memory PGlite.
 * Requires `--allow-net` (a server), `--allow-env` and `--allow-write=configs/catalog`.
 *
 * @module
 */
import { pgliteTarget, postgresTarget, type Target } from "../exec/targets.ts";
import { callKey, resolvedCalls } from "./callables.ts";
import { typesByOid } from "./rules.ts";
import { probeCalls, probeWords } from "./probe.ts";
import { readCatalog } from "./read.ts";
import { snapshotJson } from "./snapshot.ts";

const source = Deno.args[0];
if (source === undefined || source === "--help") {
  console.error("usage: deno task catalog:snapshot <postgres://url | pglite>");
  Deno.exit(2);
}
const target: Target = source === "pglite" ? await pgliteTarget() : postgresTarget(source);
try {
  const snapshot = await readCatalog(target);
  const { calls, aggregates } = resolvedCalls(snapshot);
  const all = [...calls, ...aggregates];
  const types = typesByOid(snapshot);
  snapshot.rejected = await probeCalls(
    target,
    snapshot,
    all,
    (n) => Deno.stderr.writeSync(new TextEncoder().encode(`\rprobed ${n} of ${all.length} calls`)),
  );
  console.error();
  const refused = new Set(snapshot.rejected.map((r) => r.call));
  snapshot.words = await probeWords(target, snapshot, all.filter((c) => !refused.has(callKey(c, types))));
  const product = source === "pglite" ? "pglite" : "postgres";
  const path = `configs/catalog/${product}@${Math.floor(snapshot.versionNumber / 10000)}.json`;
  await Deno.writeTextFile(path, snapshotJson(snapshot));
  console.log(
    `${path}: ${snapshot.functions.length} functions, ${snapshot.operators.length} operators, ` +
      `${snapshot.casts.length} casts, ${snapshot.types.length} types, ${snapshot.rejected.length} of ${all.length} ` +
      `resolved calls refused when probed, ` +
      `${snapshot.words.length} text arguments that take only some words (${snapshot.server})`,
  );
} finally {
  await target.close();
}
