/**
 * Reads a live server's catalog of functions, operators, casts and types
 * into a {@link CatalogSnapshot}: the facts the admission rules
 * (`rules.ts`) judge, not a judgement. Works on any {@link Target}, so the
 * same reader serves a PostgreSQL server and PGlite.
 *
 * @module
 */
import type { Target } from "../exec/targets.ts";
import type { CatalogSnapshot } from "./snapshot.ts";

/** Types that can appear in a signature: every type but table row types and internal shells. */
const TYPES = `
SELECT coalesce(json_agg(json_build_object(
  'oid', t.oid::int8, 'name', t.typname, 'sql', format_type(t.oid, NULL), 'namespace', n.nspname,
  'kind', t.typtype, 'category', t.typcategory, 'element', t.typelem::int8, 'array', t.typarray::int8,
  'ioVolatility', (SELECT string_agg(DISTINCT p.provolatile::text, '') FROM pg_proc p
                   WHERE p.oid IN (t.typinput, t.typoutput)),
  'btree', EXISTS (SELECT 1 FROM pg_opclass c JOIN pg_am a ON a.oid = c.opcmethod
                   WHERE a.amname = 'btree' AND c.opcdefault AND c.opcintype = t.oid),
  'hash', EXISTS (SELECT 1 FROM pg_opclass c JOIN pg_am a ON a.oid = c.opcmethod
                  WHERE a.amname = 'hash' AND c.opcdefault AND c.opcintype = t.oid),
  'rangeSubtype', (SELECT r.rngsubtype::int8 FROM pg_range r WHERE r.rngtypid = t.oid),
  'multirangeOf', MULTIRANGE_OF
) ORDER BY t.oid), '[]')::text
FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE t.typtype <> 'c' AND n.nspname NOT IN ('information_schema', 'pg_toast')`;

const FUNCTIONS = `
SELECT coalesce(json_agg(json_build_object(
  'oid', p.oid::int8, 'name', p.proname, 'namespace', n.nspname, 'kind', p.prokind,
  'args', (SELECT coalesce(json_agg(a::int8 ORDER BY i), '[]') FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY AS u(a, i)),
  'variadic', p.provariadic::int8, 'result', p.prorettype::int8, 'returnsSet', p.proretset,
  'volatility', p.provolatile, 'restricted', p.proacl IS NOT NULL,
  'aggregateKind', (SELECT g.aggkind FROM pg_aggregate g WHERE g.aggfnoid = p.oid),
  'aggregateSupport', EXISTS (SELECT 1 FROM pg_aggregate g WHERE p.oid IN (g.aggtransfn, g.aggfinalfn,
    g.aggcombinefn, g.aggserialfn, g.aggdeserialfn, g.aggmtransfn, g.aggminvtransfn, g.aggmfinalfn))
) ORDER BY p.oid), '[]')::text
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname NOT IN ('information_schema', 'pg_toast')`;

const OPERATORS = `
SELECT coalesce(json_agg(json_build_object(
  'oid', o.oid::int8, 'name', o.oprname, 'namespace', n.nspname, 'kind', o.oprkind,
  'left', o.oprleft::int8, 'right', o.oprright::int8, 'result', o.oprresult::int8, 'function', o.oprcode::oid::int8
) ORDER BY o.oid), '[]')::text
FROM pg_operator o JOIN pg_namespace n ON n.oid = o.oprnamespace
WHERE n.nspname NOT IN ('information_schema', 'pg_toast') AND o.oprcode <> 0`;

const CASTS = `
SELECT coalesce(json_agg(json_build_object(
  'source', c.castsource::int8, 'target', c.casttarget::int8, 'function', c.castfunc::int8,
  'context', c.castcontext, 'method', c.castmethod
) ORDER BY c.castsource, c.casttarget), '[]')::text
FROM pg_cast c`;

/** One JSON-valued cell of a query, parsed; throws with the server's message when it fails. */
async function jsonCell(target: Target, sql: string): Promise<unknown> {
  const r = await target.query(sql);
  if (!r.ok) throw new Error(`Reading the catalog failed (${r.code}): ${r.message}`);
  const cell = r.rows[0]?.[0];
  if (cell === undefined || cell === null) throw new Error(`Reading the catalog returned no row for: ${sql}`);
  return JSON.parse(cell);
}

/**
 * Reads the catalog of the database behind `target`.
 *
 * @param target A connected target (PostgreSQL or PGlite).
 * @returns The snapshot: server version, keywords, types, functions, operators and casts.
 */
export async function readCatalog(target: Target): Promise<CatalogSnapshot> {
  const version = await jsonCell(
    target,
    "SELECT json_build_object('server', version(), 'number', current_setting('server_version_num')::int)::text",
  ) as { server: string; number: number };
  // pg_range.rngmultitypid exists from PostgreSQL 14 on.
  const multirange = version.number >= 140000
    ? "(SELECT r.rngtypid::int8 FROM pg_range r WHERE r.rngmultitypid = t.oid)"
    : "NULL::int8";
  const keywords = await jsonCell(target, "SELECT json_agg(word ORDER BY word)::text FROM pg_get_keywords()");
  return {
    server: version.server,
    versionNumber: version.number,
    keywords: keywords as string[],
    types: await jsonCell(target, TYPES.replace("MULTIRANGE_OF", multirange)) as CatalogSnapshot["types"],
    functions: await jsonCell(target, FUNCTIONS) as CatalogSnapshot["functions"],
    operators: await jsonCell(target, OPERATORS) as CatalogSnapshot["operators"],
    casts: await jsonCell(target, CASTS) as CatalogSnapshot["casts"],
  };
}
