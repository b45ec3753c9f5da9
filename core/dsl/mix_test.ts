import { deepStrictEqual, ok } from "node:assert/strict";
import defaultSchema from "../../configs/schemas/default.json" with { type: "json" };
import dmlUnique from "../../grammars/dml_unique.ts";
import functionsDdl from "../../grammars/functions_ddl.ts";
import { compile } from "../compile/compile.ts";
import { analyze } from "../compile/analyze.ts";
import { schemaFromJson } from "../schema/parse.ts";
import { choice, grammar, number, ref, template, unique } from "./grammar.ts";
import { mixGrammars, parseGrammarMix } from "./mix.ts";
import { LocalGenerator } from "../engine/local.ts";
import { generate } from "../engine/generate.ts";
import type { Seed } from "../seed.ts";

const schema = schemaFromJson(defaultSchema);
const seed: Seed = [42n, 43n, 44n, 45n];
const dec = new TextDecoder();

async function text(p: ReturnType<typeof compile>, start: bigint, count: number, workers: number) {
  const parts: string[] = [];
  await generate(p, {
    seed,
    start,
    count,
    workers,
    blockSize: 1000,
    write: (b) => void parts.push(dec.decode(b)),
  });
  return parts.join("");
}

Deno.test("parseGrammarMix: name:weight pairs; a bare name weighs 1; bad ones are refused", () => {
  deepStrictEqual(parseGrammarMix("dml_unique:3,functions_ddl:1"), [
    { name: "dml_unique", weight: 3 },
    { name: "functions_ddl", weight: 1 },
  ]);
  deepStrictEqual(parseGrammarMix("a, b:0.5"), [{ name: "a", weight: 1 }, { name: "b", weight: 0.5 }]);
  for (const bad of ["a:0", "a:-1", "a:x", ":3", "a:", "a,,b"]) {
    ok(typeof parseGrammarMix(bad) === "string", bad);
  }
  ok(/twice/.test(parseGrammarMix("a:1,a:2") as string));
});

Deno.test("a mix picks grammars by weight, and each grammar keeps its own rules of the same name", () => {
  // Both grammars have a rule "x", reached by reference in one and by template placeholder in the other.
  const a = grammar("a").rule("q", template("A {x} {u}", { u: unique() })).rule("x", "from-a");
  const b = grammar("b").rule("q", template("B {n} {u}", { n: ref("x"), u: unique() })).rule("x", "from-b");
  const mix = mixGrammars("ab", [{ grammar: a, weight: 3 }, { grammar: b, weight: 1 }]);
  ok(analyze(mix).uniqueByConstruction);
  const lines = new LocalGenerator(compile(mix, schema), seed).statements(0n, 20000);
  const fromA = lines.filter((l) => l.startsWith("A from-a ")).length;
  const fromB = lines.filter((l) => l.startsWith("B from-b ")).length;
  deepStrictEqual(fromA + fromB, 20000);
  ok(Math.abs(fromA / 20000 - 0.75) < 0.02, `${fromA} of 20000 from the grammar of weight 3`);
  deepStrictEqual(new Set(lines).size, lines.length);
  // A grammar without unique() everywhere makes the mix not unique by construction.
  const c = grammar("c").rule("q", choice("SELECT 1", template("SELECT {n}", { n: number(1, 9) })));
  ok(
    !analyze(mixGrammars("ac", [{ grammar: a, weight: 1 }, { grammar: c, weight: 1 }])).uniqueByConstruction,
  );
});

Deno.test("dml_unique:3,functions_ddl:1 is the same for any worker count and split, and never repeats", async () => {
  const program = compile(
    mixGrammars("mix", [{ grammar: dmlUnique, weight: 3 }, { grammar: functionsDdl, weight: 1 }]),
    schema,
  );
  ok(program.uniqueByConstruction);
  const whole = await text(program, 100n, 30000, 1);
  deepStrictEqual(await text(program, 100n, 30000, 2), whole);
  // Shards and resumed ranges are index ranges: concatenated, they are the whole run.
  const split = [await text(program, 100n, 12345, 2), await text(program, 12445n, 17655, 2)].join("");
  deepStrictEqual(split, whole);
  const lines = whole.split("\n").slice(0, -1);
  deepStrictEqual(new Set(lines).size, lines.length);
  ok(lines.some((l) => /^(DO|BEGIN; CREATE|CREATE)/.test(l)) && lines.some((l) => /^SELECT /.test(l)));
});
