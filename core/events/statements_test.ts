import { deepStrictEqual, doesNotMatch, match, ok } from "node:assert/strict";
import { loadParser, parseStatement } from "../exec/parser.ts";
import type { Schema } from "../schema/model.ts";
import { defaultEventsConfig } from "./config.ts";
import { type EventTable, eventTables } from "./tables.ts";
import {
  defaultsInsert,
  deleteStatement,
  insertStatement,
  insertTemplate,
  returning,
  sampledRows,
  type SampleOptions,
  type Sampling,
  setTemplate,
  SMALL_TABLE_ROWS,
  updateStatement,
} from "./statements.ts";

await loadParser();

/** A parent with a RESTRICT child (guards), a table without a key, a composite key with a reserved word. */
const SCHEMA: Schema = {
  name: "s",
  tables: [
    {
      name: "Parent",
      columns: [{ name: "id", type: "integer", nullable: false }, { name: "name", type: "text" }],
      primaryKey: ["id"],
    },
    {
      name: "child row",
      columns: [
        { name: "id", type: "integer", nullable: false },
        { name: "parent_id", type: "integer", nullable: false },
        { name: "v", type: "integer" },
      ],
      primaryKey: ["id"],
      foreignKeys: [{
        columns: ["parent_id"],
        references: { table: "Parent", columns: ["id"] },
        onDelete: "restrict",
      }],
    },
    { name: "nokey", columns: [{ name: "a", type: "integer" }, { name: "b", type: "text" }] },
    {
      name: "pair",
      columns: [{ name: "a", type: "integer", nullable: false }, {
        name: "select",
        type: "integer",
        nullable: false,
      }],
      primaryKey: ["a", "select"],
    },
  ],
};

const { tables } = eventTables(SCHEMA, defaultEventsConfig().generator);
const table = (name: string): EventTable => tables.find((t) => t.name === name)!;
const parent = table("Parent"), child = table("child row"), nokey = table("nokey"), pair = table("pair");

const SMALL = 100, LARGE = 50_000;
const sample = (sampling: Sampling, estimatedRows: number, guarded: boolean): SampleOptions => ({
  sampling,
  rows: 3,
  estimatedRows,
  token: 4242,
  guarded,
});

/** The parameter numbers a statement uses, sorted, read from its parse tree. */
function params(sql: string): number[] {
  const parsed = parseStatement(sql);
  if ("error" in parsed) throw new Error(`${parsed.error}: ${sql}`);
  const found = [...JSON.stringify(parsed.tree).matchAll(/"ParamRef":\{"number":(\d+)/g)].map((m) =>
    Number(m[1])
  );
  return [...new Set(found)].sort((a, b) => a - b);
}

/** Numbers 1..n. */
const upTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

Deno.test("the fixture's tables: row keys, guards against referenced rows", () => {
  deepStrictEqual(parent.rowKey, ["id"]);
  deepStrictEqual(pair.rowKey, ["a", "select"]);
  deepStrictEqual(nokey.rowKey, undefined);
  deepStrictEqual(parent.sql, 'public."Parent"');
  deepStrictEqual(parent.deleteGuards.length, 1);
  match(
    parent.deleteGuards[0]!,
    /^NOT EXISTS \(SELECT 1 FROM public\."child row" AS c0 WHERE c0\.parent_id = s\.id\)$/,
  );
  deepStrictEqual(child.deleteGuards, []);
});

Deno.test("sampledRows: system_rows reads n rows, four times as many behind guards, for every size", () => {
  for (const size of [SMALL, LARGE]) {
    const plain = sampledRows(parent, sample("system_rows", size, false));
    deepStrictEqual(plain, {
      where: 'id IN (SELECT s.id FROM public."Parent" AS s TABLESAMPLE SYSTEM_ROWS(3) LIMIT 3)',
      values: [],
    });
    const guarded = sampledRows(parent, sample("system_rows", size, true), 1);
    match(guarded.where, /TABLESAMPLE SYSTEM_ROWS\(12\) WHERE NOT EXISTS \(.*\) LIMIT 3\)$/);
    deepStrictEqual(guarded.values, [], "nothing changes from event to event");
    // A guard only for a guarded sample (DELETE).
    doesNotMatch(plain.where, /NOT EXISTS/);
  }
});

Deno.test("sampledRows: system orders small tables by random() and page-samples large ones by a percentage", () => {
  deepStrictEqual(
    sampledRows(parent, sample("system", SMALL_TABLE_ROWS, false)).where,
    'id IN (SELECT s.id FROM public."Parent" AS s ORDER BY random() LIMIT 3)',
  );
  // Whole pages are picked: at least 1,000 of 50,000 rows (2 %) so that a sample rarely finds no page,
  // behind guards too.
  deepStrictEqual(
    sampledRows(parent, sample("system", LARGE, false)).where,
    'id IN (SELECT s.id FROM public."Parent" AS s TABLESAMPLE SYSTEM (2) LIMIT 3)',
  );
  const guarded = sampledRows(parent, sample("system", LARGE, true), 5);
  match(guarded.where, /TABLESAMPLE SYSTEM \(\$5\) WHERE NOT EXISTS .* LIMIT 3\)$/);
  deepStrictEqual(guarded.values, ["2"]);
  // 1,000 of 2,001 rows; never more than the whole table.
  match(sampledRows(parent, sample("system", SMALL_TABLE_ROWS + 1, true)).where, /SYSTEM \(50\)/);
  const many = { ...sample("system", SMALL_TABLE_ROWS + 1, true), rows: 300 };
  match(sampledRows(parent, many).where, /SYSTEM \(100\) WHERE .* LIMIT 300\)$/);
});

Deno.test("sampledRows: repeatable seeds the sample with the token; small tables are ordered by content", () => {
  for (const t of [parent, pair, nokey]) {
    const literal = sampledRows(t, sample("repeatable", SMALL, false));
    match(literal.where, /ORDER BY md5\(.*'4242'\) LIMIT 3\)$/);
    // Rows move when updated: the order must not depend on where they are.
    doesNotMatch(literal.where.slice(literal.where.indexOf("ORDER BY")), /ctid|tableoid/);
    const bound = sampledRows(t, sample("repeatable", SMALL, false), 3);
    match(bound.where, /ORDER BY md5\(.*\$3::text\) LIMIT 3\)$/);
    deepStrictEqual(bound.values, ["4242"]);
  }
  // Ordered by content up to 20,000 rows; page-sampled beyond.
  match(sampledRows(parent, sample("repeatable", 20000, false)).where, /ORDER BY md5/);
  deepStrictEqual(
    sampledRows(parent, sample("repeatable", LARGE, false)).where,
    'id IN (SELECT s.id FROM public."Parent" AS s TABLESAMPLE SYSTEM (2) REPEATABLE (4242) LIMIT 3)',
  );
  const bound = sampledRows(parent, sample("repeatable", LARGE, true), 2);
  match(bound.where, /TABLESAMPLE SYSTEM \(\$2\) REPEATABLE \(\$3\) WHERE NOT EXISTS/);
  deepStrictEqual(bound.values, ["2", "4242"]);
});

Deno.test("sampledRows: rows are named by the primary key, a composite one as a row, else by (tableoid, ctid)", () => {
  const o = sample("system", SMALL, false);
  match(sampledRows(parent, o).where, /^id IN \(SELECT s\.id FROM /);
  match(sampledRows(pair, o).where, /^\(a, "select"\) IN \(SELECT s\.a, s\."select" FROM public\.pair AS s /);
  match(
    sampledRows(nokey, o).where,
    /^\(tableoid, ctid\) IN \(SELECT s\.tableoid, s\.ctid FROM public\.nokey AS s /,
  );
});

Deno.test("every sampled UPDATE and DELETE parses, with its parameters numbered 1..n without gaps", () => {
  for (const t of tables) {
    for (const sampling of ["system_rows", "system", "repeatable"] as const) {
      for (const size of [SMALL, LARGE]) {
        for (const guarded of [false, true]) {
          const o = sample(sampling, size, guarded);
          // Literal statements: no parameters.
          const del = deleteStatement(t, sampledRows(t, o).where, ["id"]);
          deepStrictEqual(params(del), [], del);
          const upd = updateStatement(t, "v = 1;\n", sampledRows(t, o).where);
          deepStrictEqual(params(upd), [], upd);
          doesNotMatch(upd, /;/);
          // Prepared: the SET list's parameters, then the sample's.
          const set = setTemplate(["v", "select"]);
          const s = sampledRows(t, o, 3);
          const prepared = updateStatement(t, set, s.where);
          deepStrictEqual(params(prepared), upTo(2 + s.values.length), prepared);
          const pdel = sampledRows(t, o, 1);
          const pd = deleteStatement(t, pdel.where, []);
          deepStrictEqual(params(pd), upTo(pdel.values.length), pd);
        }
      }
    }
  }
});

Deno.test("insertTemplate numbers the parameters row by row; setTemplate from $1", () => {
  const sql = insertTemplate(child, ["id", "parent_id", "v"], 3, ["id"]);
  deepStrictEqual(
    sql,
    'INSERT INTO public."child row" (id, parent_id, v) VALUES ($1, $2, $3), ($4, $5, $6), ($7, $8, $9) RETURNING id::text',
  );
  deepStrictEqual(params(sql), upTo(9));
  deepStrictEqual(setTemplate(["v", "select", "Mixed Case"]), 'v = $1, "select" = $2, "Mixed Case" = $3');
  deepStrictEqual(params(`UPDATE t SET ${setTemplate(["a", "b", "c", "d"])}`), upTo(4));
  deepStrictEqual(params(insertTemplate(pair, ["a", "select"], 1, [])), upTo(2));
});

Deno.test("the kernel's text is framed: INSERT returns pooled keys, defaults-only INSERT, a SET list of none", () => {
  deepStrictEqual(returning([]), "");
  deepStrictEqual(returning(["id", "select"]), ' RETURNING id::text, "select"::text');
  deepStrictEqual(
    insertStatement("INSERT INTO t (a) VALUES\n(1),\n(2);\n", ["a"]),
    "INSERT INTO t (a) VALUES\n(1),\n(2) RETURNING a::text",
  );
  const defaults = defaultsInsert(nokey, 4, []);
  deepStrictEqual(defaults, "INSERT INTO public.nokey SELECT FROM generate_series(1, 4)");
  deepStrictEqual(params(defaults), []);
  // Nothing to assign: a key column (or the first column) to itself, so the rows are still locked and counted.
  const where = sampledRows(pair, sample("system", SMALL, false)).where;
  match(updateStatement(pair, null, where), /^UPDATE public\.pair SET a = a WHERE /);
  match(updateStatement(nokey, null, "true"), /^UPDATE public\.nokey SET a = a WHERE true$/);
  // Columns only the database writes are never set to themselves (428C9): another column is, else a
  // stored generated column is recomputed.
  const own = eventTables({
    name: "s",
    tables: [
      {
        name: "ids",
        columns: [
          { name: "id", type: "integer", nullable: false, identity: "always" },
          { name: "twice", type: "integer", generated: "id * 2" },
          { name: "note", type: "text" },
        ],
        primaryKey: ["id"],
      },
      {
        name: "computed",
        columns: [
          { name: "id", type: "integer", nullable: false, identity: "always" },
          { name: "twice", type: "integer", generated: "id * 2" },
        ],
        primaryKey: ["id"],
      },
    ],
  }, defaultEventsConfig().generator).tables;
  match(updateStatement(own[0]!, null, "true"), /^UPDATE public\.ids SET note = note WHERE true$/);
  match(updateStatement(own[1]!, null, "true"), /^UPDATE public\.computed SET twice = DEFAULT WHERE true$/);
  for (const t of tables) {
    ok(
      !("error" in
        parseStatement(updateStatement(t, null, sampledRows(t, sample("system", SMALL, true)).where))),
    );
  }
});
