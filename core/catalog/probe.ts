/**
 * Probes resolved calls on a live server: each is run on typed NULL
 * arguments, then on sample values of its argument types (the spellings in
 * {@link SAMPLES} that the server reads as that type), and those the server
 * refuses with a generator-bug class (42, 0A000) or an internal error (XX)
 * on any of them are returned, so a snapshot can record them and generation leave
 * them out. Only admitted calls are probed, and those are by rule neither
 * volatile nor privileged, so running them changes nothing.
 *
 * @module
 */
import type { Target } from "../exec/targets.ts";
import { type Callable, callKey, callSql, isEnumColumn } from "./callables.ts";
import type { CatalogSnapshot } from "./snapshot.ts";
import { typesByOid } from "./rules.ts";

/**
 * Spellings tried as sample values of every type: small numbers, a month
 * (intervals with months are refused by some functions with 0A000), a word,
 * a date and a time, an array and a JSON object.
 */
export const SAMPLES: readonly string[] = [
  "1",
  "0",
  "-1",
  "1 mon",
  "a",
  "2024-02-29 12:00",
  "12:00",
  "{1}",
  '{"a": 1}',
];

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
  // Sample values per type: the spellings the server reads as that type.
  const samples = new Map<number, string[]>();
  const sampled = async (oid: number) => {
    if (!samples.has(oid)) {
      const ok: string[] = [];
      for (const spelling of SAMPLES) {
        const sql = `CAST('${spelling}' AS ${types.get(oid)!.sql})`;
        if ((await target.query(`SELECT ${sql}`)).ok) ok.push(sql);
      }
      samples.set(oid, ok);
    }
    return samples.get(oid)!;
  };
  let done = 0;
  // Calls on an enum column's type wait for a column to bind: the catalog has no enum to probe them with.
  for (const c of calls.filter((c) => !c.args.some(isEnumColumn) && !isEnumColumn(c.result))) {
    const lists: string[][] = [];
    for (const a of c.args) lists.push(await sampled(a));
    const rounds = Math.max(0, ...lists.map((l) => l.length));
    // Round k gives each argument its k-th sample (cycling), so every sample of every type is tried.
    const tuples = [
      c.args.map((a) => `CAST(NULL AS ${types.get(a)!.sql})`),
      ...Array.from(
        { length: rounds },
        (_, k) =>
          lists.map((l, i) =>
            l.length === 0 ? `CAST(NULL AS ${types.get(c.args[i]!)!.sql})` : l[k % l.length]!
          ),
      ),
    ];
    for (const args of tuples) {
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
