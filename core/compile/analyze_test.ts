import { deepStrictEqual, match, throws } from "node:assert/strict";
import {
  choice,
  grammar,
  literal,
  maybe,
  number,
  ref,
  repeat,
  tableName,
  template,
  unique,
  withColumn,
  withTable,
} from "../dsl/grammar.ts";
import { GrammarError } from "../dsl/errors.ts";
import { analyze } from "./analyze.ts";

function rejects(build: () => ReturnType<typeof grammar>, rule: string | undefined, pattern: RegExp) {
  throws(() => analyze(build()), (e: unknown) => {
    if (!(e instanceof GrammarError)) return false;
    deepStrictEqual(e.rule, rule);
    match(e.message, pattern);
    return true;
  });
}

Deno.test("an undefined rule is named with the rule that refers to it", () => {
  rejects(
    () => grammar("g").rule("q", template("SELECT {x}", { x: ref("missing") })),
    "q",
    /undefined rule "missing"/,
  );
});

Deno.test("a template placeholder that is neither a part nor a rule is rejected", () => {
  rejects(() => grammar("g").rule("q", template("SELECT {col} FROM t")), "q", /placeholder "\{col\}"/);
});

Deno.test("an unused template part is rejected", () => {
  rejects(() => grammar("g").rule("q", template("SELECT 1", { x: "2" })), "q", /part "x" is not used/);
});

Deno.test("zero, negative and non-finite weights are rejected", () => {
  for (const w of [0, -1, Infinity, NaN]) {
    rejects(() => grammar("g").rule("q", choice([w, "a"], "b")), "q", /weight/);
  }
});

Deno.test("a rule that can never terminate is rejected, naming the cycle", () => {
  rejects(
    () =>
      grammar("g").rule("q", template("({a})", { a: ref("a") })).rule(
        "a",
        template("({q})", { q: ref("q") }),
      ),
    "q",
    /can never terminate.*"q", "a"/,
  );
});

Deno.test("a recursive rule with an exit is accepted and has the right height", () => {
  const g = grammar("g")
    .rule("q", template("SELECT {e}", { e: ref("e") }))
    .rule("e", choice(number(1, 9), template("({e} + {e})")));
  const a = analyze(g);
  deepStrictEqual([...a.heights], [["q", 1], ["e", 0]]);
});

Deno.test("an alternative that can never finish is rejected even if its rule can", () => {
  rejects(
    () => grammar("g").rule("q", choice("1", template("{z}", { z: ref("z") }))).rule("z", template("{z}")),
    "z",
    /can never terminate/,
  );
});

Deno.test("bad bounds are rejected", () => {
  rejects(() => grammar("g").rule("q", number(5, 1)), "q", /low bound exceeds high bound/);
  rejects(() => grammar("g").rule("q", repeat("x", 3, 2)), "q", /repeat/);
  rejects(() => grammar("g").rule("q", maybe("x", 1.5)), "q", /probability/);
});

Deno.test("reading a slot outside the pick that binds it is rejected, through rule calls too", () => {
  rejects(() => grammar("g").rule("q", tableName("t")), "q", /table slot "t" is read outside any withTable/);
  // "name" reads slot t; it is called both inside and outside withTable.
  rejects(
    () =>
      grammar("g")
        .rule("q", choice(withTable("t", template("SELECT {n}", { n: ref("name") })), ref("name")))
        .rule("name", tableName("t")),
    "name",
    /table slot "t" is read outside any withTable/,
  );
  const ok = grammar("g")
    .rule("q", withTable("t", template("SELECT {n}", { n: ref("name") })))
    .rule("name", tableName("t"));
  deepStrictEqual(analyze(ok).slots.table.get("t"), 0);
});

Deno.test("literal text with a line break is rejected", () => {
  rejects(() => grammar("g").rule("q", "SELECT\n1"), "q", /line break/);
  rejects(() => grammar("g").rule("q", repeat("1", 1, 2, ",\n")), "q", /line break/);
});

Deno.test("weights too small or too large to sample exactly are rejected at load", () => {
  rejects(() => grammar("g").rule("q", choice([0.0001, "a"], [1.5, "b"])), "q", /at least 0\.001/);
  rejects(() => grammar("g").rule("q", choice([2 ** 31, "a"], [2 ** 31, "b"])), "q", /sum below 2\^32/);
});

Deno.test("an unknown column type class in a filter is rejected", () => {
  rejects(
    () =>
      grammar("g").rule(
        "q",
        withTable("t", withColumn("c", "t", { type: "money" as unknown as "text" }, literal("c"))),
      ),
    "q",
    /unknown column type class "money"/,
  );
});

Deno.test("a missing start rule is rejected", () => {
  rejects(() => grammar("g", { start: "nope" }).rule("q", "SELECT 1"), undefined, /start rule "nope"/);
});

Deno.test("unique by construction: every path must emit unique()", () => {
  const always = grammar("g").rule(
    "q",
    choice(template("SELECT {u}", { u: unique() }), template("SELECT {u}, 2", { u: unique() })),
  );
  deepStrictEqual(analyze(always).uniqueByConstruction, true);
  const sometimes = grammar("g").rule("q", choice(template("SELECT {u}", { u: unique() }), "SELECT 1"));
  deepStrictEqual(analyze(sometimes).uniqueByConstruction, false);
  const maybeOnly = grammar("g").rule("q", template("SELECT 1{u}", { u: maybe(unique()) }));
  deepStrictEqual(analyze(maybeOnly).uniqueByConstruction, false);
});

Deno.test("a duplicate rule name throws at definition", () => {
  throws(() => grammar("g").rule("q", "a").rule("q", "b"), /defined twice/);
});
