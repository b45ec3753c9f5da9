/**
 * Probes resolved calls on a live server: each is run on typed NULL
 * arguments, then on a sample value of each argument type (the server's own
 * reading of `'1'` as that type, where it reads one), and those the server
 * refuses with a generator-bug class (42, 0A000) or an internal error (XX)
 * are returned, so a snapshot can record them and generation leave
 * them out. Only admitted calls are probed, and those are by rule neither
 * volatile nor privileged, so running them changes nothing.
 *
 * @module
 */
import type { Target } from "../exec/targets.ts";
import { type Callable, callKey, callSql } from "./callables.ts";
import type { CatalogSnapshot } from "./snapshot.ts";
import { typesByOid } from "./rules.ts";

/**
 * The calls among `calls` that the server behind `target` refuses.
 *
 * @param target A connected target.
 * @param snapshot The catalog the calls were resolved from.
 * @param calls Resolved calls (`resolvedCalls`).
 * @param progress Called every 500 probes with the number done.
 * @returns The refused calls by `callKey`, with their SQLSTATE.
 */
export async function probeCalls(
  target: Target,
  snapshot: CatalogSnapshot,
  calls: readonly Callable[],
  progress: (done: number) => void = () => {},
): Promise<{ call: string; code: string }[]> {
  const types = typesByOid(snapshot);
  const keywords = new Set(snapshot.keywords);
  const rejected: { call: string; code: string }[] = [];
  const refused = (code: string) => code.startsWith("42") || code === "0A000" || code.startsWith("XX");
  // A sample value per type: '1' as the server reads it, where it does (numbers, text, bool, bit, json, interval…).
  const samples = new Map<number, string>();
  const sample = async (oid: number) => {
    if (!samples.has(oid)) {
      const sql = `CAST('1' AS ${types.get(oid)!.sql})`;
      samples.set(oid, (await target.query(`SELECT ${sql}`)).ok ? sql : `CAST(NULL AS ${types.get(oid)!.sql})`);
    }
    return samples.get(oid)!;
  };
  let done = 0;
  for (const c of calls) {
    const nulls = c.args.map((a) => `CAST(NULL AS ${types.get(a)!.sql})`);
    const values = await Promise.all(c.args.map(sample));
    for (const args of [nulls, values]) {
      const r = await target.query(`SELECT ${callSql(c, args, keywords)}`);
      if (!r.ok && refused(r.code)) {
        rejected.push({ call: callKey(c, types), code: r.code });
        break;
      }
    }
    if (++done % 500 === 0) progress(done);
  }
  return rejected;
}
