/**
 * What the end-to-end tests of `quarry data` share: running the CLI, a
 * spec with every value kind, temp folders, and reading files back.
 *
 * @module
 */
import { deepStrictEqual, match, ok } from "node:assert/strict";
import { type Run, runCli } from "./_cli.ts";
import { duckdbQuery } from "./_readers.ts";

export const dec = new TextDecoder();
/** `quarry data ARGS` with the permissions `deno task quarry` grants. */
export const data = (...args: string[]): Promise<Run> => runCli(["data", ...args]);
/** `data load` also needs the network and the environment (PGPASSWORD and the like). */
export const LOAD_PERMISSIONS = ["--allow-read", "--allow-write", "--allow-net", "--allow-env"];

/** A spec with every kind of value, and text that needs quoting or escaping in every format. */
export const KINDS = String.raw`name: kinds
tables:
  items:
    primary_key: [id]
    columns:
      id: { method: unique_ids, kind: sequential }
      uid: { method: unique_ids, kind: uuid4 }
      full_name: { method: full_name }
      email: { method: email, from: full_name }
      note:
        method: distincts
        values: ["plain", "a,b", "say \"hi\"", "tab\there", "semi;colon", "back\\slash", "two\nlines", "cr\r\nlf", "naïve café ✓", "'quoted'"]
      qty: { method: integers, min: -5, max: 500 }
      price: { method: floats, min: -100, max: 9999.99, round: 2 }
      ratio: { method: floats, min: 0, max: 1, round: 4 }
      active: { method: booleans }
      born: { method: dates, min: "1950-01-01", max: "2005-12-31" }
      seen_at: { method: timestamps, min: "2024-01-01 00:00:00", max: "2025-06-30 23:59:59", null_fraction: 0.3 }
`;
export const KINDS_COLUMNS = "id uid full_name email note qty price ratio active born seen_at".split(" ");

/** Runs `fn` with a fresh folder, removed afterwards. */
export async function withDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "quarry_data_" });
  try {
    return await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Every entry under `dir`, hidden ones too, as sorted relative paths (folders end in "/"). */
export function listAll(dir: string, prefix = ""): string[] {
  const out: string[] = [];
  for (const e of Deno.readDirSync(`${dir}/${prefix}`)) {
    if (e.isDirectory) out.push(`${prefix}${e.name}/`, ...listAll(dir, `${prefix}${e.name}/`));
    else out.push(`${prefix}${e.name}`);
  }
  return out.sort();
}

/** A successful run: exit 0, and only the effective seed on stderr. */
export function succeeded(r: Run): void {
  deepStrictEqual(r.code, 0, r.stderr);
  match(r.stderr, /^quarry: seed [0-9a-f]{64}\n$/);
}

/**
 * A failed run: the exit code, nothing on stdout, no stack trace, and on
 * stderr (after the seed line, when the run got that far) one error line, or
 * for a spec with several problems the first line and one indented line per
 * further problem.
 */
export function failed(r: Run, code: number, pattern: RegExp, problems = 1): void {
  deepStrictEqual(r.code, code, r.stderr);
  deepStrictEqual(r.stdout, "");
  ok(!/^\s+at /m.test(r.stderr), `stack trace printed:\n${r.stderr}`);
  const lines = r.stderr.split("\n").filter((l) => l.length > 0 && !/^quarry: seed [0-9a-f]{64}$/.test(l));
  deepStrictEqual(lines.length, problems, r.stderr);
  match(lines[0]!, /^quarry: error: /);
  for (const l of lines.slice(1)) match(l, /^ {2}\S/);
  match(r.stderr, pattern);
}

/** The one row of a DuckDB query. */
export async function one(sql: string): Promise<Record<string, unknown>> {
  const rows = await duckdbQuery(sql);
  deepStrictEqual(rows.length, 1, sql);
  return rows[0]!;
}

/** A path as a DuckDB string literal. */
export const lit = (path: string) => `'${path.replaceAll("'", "''")}'`;

/** The kinds spec's columns with the types its tables get, for DuckDB's readers. */
export const KINDS_TYPES = "{'id': 'BIGINT', 'uid': 'UUID', 'full_name': 'VARCHAR', 'email': 'VARCHAR', " +
  "'note': 'VARCHAR', 'qty': 'INTEGER', 'price': 'DECIMAL(7,2)', 'ratio': 'DECIMAL(5,4)', " +
  "'active': 'BOOLEAN', 'born': 'DATE', 'seen_at': 'TIMESTAMP'}";
/** Relations over files of the kinds spec, with the UUID as text so every reader agrees on it. */
export const kindsCsv = (path: string, delim = ",", header = true) =>
  `(SELECT * REPLACE (uid::VARCHAR AS uid) FROM read_csv(${lit(path)}, header = ${header}, ` +
  `delim = ${lit(delim)}, quote = '"', escape = '"', allow_quoted_nulls = false, columns = ${KINDS_TYPES}))`;
export const kindsJson = (path: string, format: "newline_delimited" | "array") =>
  `(SELECT * REPLACE (uid::VARCHAR AS uid) FROM read_json(${lit(path)}, format = '${format}', ` +
  `columns = ${KINDS_TYPES}))`;
/** Parquet marks the uuid column with the UUID logical type, so DuckDB reads it as UUID. */
export const kindsParquet = (path: string) =>
  `(SELECT * REPLACE (uid::VARCHAR AS uid) FROM read_parquet(${lit(path)}))`;

/** Rows in one relation and not the other, both ways, duplicates counted. */
export async function differences(a: string, b: string): Promise<bigint> {
  const r = await one(
    `SELECT (SELECT count(*) FROM (SELECT * FROM ${a} EXCEPT ALL SELECT * FROM ${b})) + ` +
      `(SELECT count(*) FROM (SELECT * FROM ${b} EXCEPT ALL SELECT * FROM ${a})) AS d`,
  );
  return r.d as bigint;
}

/** Row count and distinct keys of a relation. */
export async function countKeys(rel: string, key: string): Promise<[bigint, bigint]> {
  const r = await one(`SELECT count(*) AS n, count(DISTINCT ${key}) AS k FROM ${rel}`);
  return [r.n as bigint, r.k as bigint];
}

export const textLines = (text: string) => text.split("\n").slice(0, -1);
export const fileLines = async (path: string) => textLines(await Deno.readTextFile(path));
