import { deepStrictEqual, ok } from "node:assert/strict";
import pg15 from "../../configs/catalog/postgres@15.json" with { type: "json" };
import pglite from "../../configs/catalog/pglite@18.json" with { type: "json" };
import { catalogModel, isEnumColumn, resolvedCalls } from "./callables.ts";
import { catalogFacts, functionExclusion, signatureExclusion, typeExclusion } from "./rules.ts";
import type { CatalogFunction, CatalogSnapshot } from "./snapshot.ts";

const snapshot = pg15 as CatalogSnapshot;
const facts = catalogFacts(snapshot);
const typeOid = (name: string) =>
  snapshot.types.find((t) => t.name === name && t.namespace === "pg_catalog")!.oid;

/** The pg_catalog function of that name and argument type names, as the stored snapshot has it. */
function fn(name: string, ...args: string[]): CatalogFunction {
  const oids = args.map(typeOid);
  const f = snapshot.functions.find((f) =>
    f.name === name && f.namespace === "pg_catalog" && f.args.length === oids.length &&
    f.args.every((a, i) => a === oids[i])
  );
  if (f === undefined) throw new Error(`no ${name}(${args.join(", ")}) in the snapshot`);
  return f;
}

Deno.test("each exclusion rule leaves out the functions its catalog facts describe, and admits the rest", () => {
  const cases: [CatalogFunction, string | undefined][] = [
    [fn("pg_sleep", "float8"), "volatile"],
    [fn("pg_read_file", "text"), "volatile"],
    [fn("set_config", "text", "text", "bool"), "volatile"],
    [fn("pg_replication_origin_oid", "text"), "restricted"],
    [fn("has_table_privilege", "text", "text"), "catalog-lookup"],
    [fn("current_setting", "text"), "catalog-lookup"],
    [fn("float8_accum", "_float8", "float8"), "aggregate-support"],
    [fn("numeric", "numeric", "int4"), "length-coercion"],
    [fn("generate_series", "int4", "int4"), "returns-set"],
    [fn("count", "any"), "not-scalar"],
    [fn("satisfies_hash_partition", "oid", "int4", "int4", "any"), "object-lookup"],
    [fn("pg_get_userbyid", "oid"), "object-lookup"],
    [fn("oideq", "oid", "oid"), undefined],
    [fn("to_char", "timestamptz", "text"), undefined],
    [fn("lower", "text"), undefined],
    [fn("array_length", "anyarray", "int4"), undefined],
  ];
  deepStrictEqual(
    cases.map(([f]) => [f.name, functionExclusion(f, facts)]),
    cases.map(([f, why]) => [f.name, why]),
  );
  deepStrictEqual(functionExclusion(fn("count", "any"), facts, true), undefined);
  deepStrictEqual(functionExclusion(fn("percentile_cont", "float8", "float8"), facts, true), "not-scalar");
});

Deno.test("types: object identifiers and pseudo-types are no values; arrays follow their element", () => {
  const judge = (name: string) => typeExclusion(facts.types.get(typeOid(name))!, facts);
  deepStrictEqual(
    [
      "regclass",
      "regtype",
      "internal",
      "trigger",
      "anyelement",
      "int4",
      "_int4",
      "_regclass",
      "tstzrange",
      "money",
      "oid",
    ]
      .map(judge),
    [
      "object-identifier",
      "object-identifier",
      "pseudo-type",
      "pseudo-type",
      "polymorphic",
      undefined,
      undefined,
      "array-of-object-identifier",
      undefined,
      undefined,
      undefined,
    ],
  );
  const r = typeOid("daterange"), d = typeOid("date"), t = typeOid("text");
  deepStrictEqual([
    signatureExclusion("daterange", [d, d, t], r, facts.types),
    signatureExclusion("daterange", [d, d], r, facts.types),
  ], [
    "range-flags",
    undefined,
  ]);
});

Deno.test("no admitted call is volatile, privileged, set-returning or a pseudo-typed signature", () => {
  const model = catalogModel([snapshot, pglite as CatalogSnapshot], ["int4", "text", "bool", "timestamptz"]);
  const byOid = new Map(snapshot.functions.map((f) => [f.oid, f]));
  const functions = model.calls.filter((c) => c.kind === "function").map((c) => byOid.get(c.source)!);
  ok(functions.length > 1000, `${functions.length} function calls`);
  deepStrictEqual(functions.filter((f) => f.volatility === "v" || f.restricted || f.returnsSet), []);
  for (const c of [...model.calls, ...model.aggregates]) {
    deepStrictEqual(
      [...c.args, c.result].filter((o) => !isEnumColumn(o) && model.types.get(o)!.kind === "p"),
      [],
      c.name,
    );
  }
});

Deno.test("polymorphic signatures resolve to one concrete binding per family", () => {
  const { calls } = resolvedCalls(snapshot);
  const name = (o: number) => facts.types.get(o)!.name;
  const appends = calls.filter((c) => c.name === "array_append").map((c) => c.args.map(name).join(","));
  ok(appends.includes("_int4,int4") && appends.includes("_text,text"), appends.join(" "));
  ok(appends.every((a) => a.split(",")[0] === `_${a.split(",")[1]}`), appends.join(" "));
  const lower = calls.filter((c) => c.name === "lower" && facts.types.get(c.args[0]!)!.kind === "r");
  deepStrictEqual(lower.every((c) => facts.types.get(c.args[0]!)!.rangeSubtype === c.result), true);
  ok(lower.length >= 6, `${lower.length} range lower() resolutions`);
});
