/**
 * Probes resolved calls on a live server: each is run on typed NULL
 * arguments, then on sample values of its argument
 * types (the spellings in {@link SAMPLES} that the server reads as that type),
 * and those the server refuses with a generator-bug class (42, 0A000), an
 * internal error (XX) or 22004 (a NULL not allowed: any generated argument
 * may be NULL) on any of them are returned, so a snapshot can record them and generation leave
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
  // 22004: the call refuses a NULL argument, which any generated argument may be.
  const refused = (code: string) =>
    code.startsWith("42") || code === "0A000" || code.startsWith("XX") || code === "22004";
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
    const typedNull = (a: number) => `CAST(NULL AS ${types.get(a)!.sql})`;
    const tuples = [
      c.args.map(typedNull),
      ...Array.from(
        { length: rounds },
        (_, k) =>
          lists.map((l, i) =>
            l.length === 0 ? `CAST(NULL AS ${types.get(c.args[i]!)!.sql})` : l[k % l.length]!
          ),
      ),
    ];
    for (const tuple of tuples) {
      // A VARIADIC argument is generated one to three times: with two, the variadic form is the one called.
      const args = c.variadic && tuple.length > 0 ? [...tuple, tuple[tuple.length - 1]!] : tuple;
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

/**
 * Words tried for a text argument that refuses ordinary text: PostgreSQL's
 * date/time field names (`extract`, `date_part`, `date_trunc`), a time zone
 * and single characters (escape characters, regular-expression flags), and
 * the empty string. Words, not function names: which function takes which is
 * probed.
 */
export const WORDS: readonly string[] = [
  "microseconds",
  "milliseconds",
  "second",
  "minute",
  "hour",
  "day",
  "week",
  "month",
  "quarter",
  "year",
  "decade",
  "century",
  "millennium",
  "epoch",
  "dow",
  "doy",
  "isodow",
  "isoyear",
  "julian",
  "timezone",
  "timezone_hour",
  "timezone_minute",
  "UTC",
  "",
  "g",
  "i",
  "!",
  "\\",
];

/** Ordinary text a word argument refuses. */
const ORDINARY = ["alpha"];

/** A text argument that takes only some words, and the words it takes. */
export interface WordArgument {
  /** The call's `callKey`. */
  call: string;
  /** The argument's position. */
  arg: number;
  /** The {@link WORDS} the server accepted there; empty when it took none. */
  values: string[];
  /** The SQLSTATE ordinary text got there. */
  code: string;
}

/**
 * The text arguments of `calls` that take only some words (a date/time unit,
 * an escape character): each call is run with ordinary text in one text
 * argument and non-NULL sample values elsewhere (`'!'` for the other text
 * arguments), and where the server refuses the text (any error but an
 * internal one), every word of {@link WORDS} is tried there and those it
 * accepts recorded. Generation then draws that argument from its words, or
 * leaves the call out when it accepts none and the refusal was a
 * generator-bug class (see `catalogModel`).
 *
 * @param target A connected target.
 * @param snapshot The catalog the calls were resolved from.
 * @param calls Resolved calls (`resolvedCalls`), already probed by {@link probeCalls}.
 */
export async function probeWords(
  target: Target,
  snapshot: CatalogSnapshot,
  calls: readonly Callable[],
): Promise<WordArgument[]> {
  const types = typesByOid(snapshot);
  const keywords = new Set(snapshot.keywords);
  const text = snapshot.types.find((t) => t.namespace === "pg_catalog" && t.name === "text")?.oid;
  const quote = (s: string) => `CAST('${s.replaceAll("'", "''")}' AS text)`;
  const first = new Map<number, string | null>();
  const sample = async (oid: number) => {
    if (!first.has(oid)) {
      let found: string | null = null;
      for (const spelling of SAMPLES) {
        const sql = `CAST('${spelling}' AS ${types.get(oid)!.sql})`;
        if ((await target.query(`SELECT ${sql}`)).ok) {
          found = sql;
          break;
        }
      }
      first.set(oid, found);
    }
    return first.get(oid)!;
  };
  const out: WordArgument[] = [];
  const candidates = calls.filter((c) =>
    c.kind !== "cast" && c.args.includes(text ?? -3) && !c.args.some(isEnumColumn) && !isEnumColumn(c.result)
  );
  for (const c of candidates) {
    const others: string[] = [];
    let complete = true;
    for (const a of c.args) {
      const s = a === text ? quote("!") : await sample(a);
      if (s === null) complete = false;
      others.push(s ?? "");
    }
    if (!complete) continue;
    for (const [i, a] of c.args.entries()) {
      if (a !== text) continue;
      const at = (v: string) => callSql(c, others.map((o, j) => j === i ? quote(v) : o), keywords);
      let code: string | undefined;
      for (const v of ORDINARY) {
        const r = await target.query(`SELECT ${at(v)}`);
        if (!r.ok && !r.code.startsWith("XX")) {
          code = r.code;
          break;
        }
      }
      if (code === undefined) continue;
      const values: string[] = [];
      for (const w of WORDS) if ((await target.query(`SELECT ${at(w)}`)).ok) values.push(w);
      out.push({ call: callKey(c, types), arg: i, values, code });
    }
  }
  return out;
}
