import { deepStrictEqual, notDeepStrictEqual, ok, throws } from "node:assert/strict";
import dmlUnique from "../../grammars/dml_unique.ts";
import defaultSchema from "../../configs/schemas/default.json" with { type: "json" };
import { compile } from "../compile/compile.ts";
import { schemaFromJson } from "../schema/parse.ts";
import {
  choice,
  grammar,
  number,
  ref,
  repeat,
  tableName,
  template,
  unique,
  uniqueLiteral,
  withColumn,
  withTable,
} from "../dsl/grammar.ts";
import { LocalGenerator } from "./local.ts";
import { generateParallel } from "./parallel.ts";
import { generate } from "./generate.ts";
import { GenerationError } from "./errors.ts";
import type { Seed } from "../seed.ts";

const schema = schemaFromJson(defaultSchema);
const program = compile(dmlUnique, schema);
const seed: Seed = [0x1234n, 0x5678n, 0x9abcn, 0xdef0n];

async function collect(workers: number, start: bigint, count: number, blockSize?: number): Promise<string> {
  const parts: string[] = [];
  const dec = new TextDecoder();
  await generateParallel(program, {
    seed,
    start,
    count,
    workers,
    ...(blockSize ? { blockSize } : {}),
    write: (b) => void parts.push(dec.decode(b)),
  });
  return parts.join("");
}

Deno.test("output is byte-identical for 1, 2 and 3 workers and equals the local generator", async () => {
  const one = await collect(1, 7n, 25000, 1000);
  deepStrictEqual(await collect(2, 7n, 25000, 1000), one);
  deepStrictEqual(await collect(3, 7n, 25000, 777), one);
  const local = new LocalGenerator(program, seed).statements(7n, 25000).map((s) => `${s};\n`).join("");
  deepStrictEqual(local, one);
});

Deno.test("statement i alone equals line i of a full run", () => {
  const gen = new LocalGenerator(program, seed);
  const all = gen.statements(0n, 2000);
  for (const i of [0, 1, 999, 1999]) deepStrictEqual(gen.statement(BigInt(i)), all[i]);
  deepStrictEqual(new LocalGenerator(program, seed).statement(1999n), all[1999]);
});

Deno.test("a different seed gives different statements; the same seed the same", () => {
  const a = new LocalGenerator(program, seed).statements(0n, 50);
  const b = new LocalGenerator(program, [1n, 2n, 3n, 4n]).statements(0n, 50);
  notDeepStrictEqual(a, b);
  deepStrictEqual(new LocalGenerator(program, seed).statements(0n, 50), a);
});

Deno.test("dml_unique is unique by construction and its statements do not repeat", () => {
  ok(program.uniqueByConstruction);
  const lines = new LocalGenerator(program, seed).statements(0n, 50000);
  deepStrictEqual(new Set(lines).size, lines.length);
});

Deno.test("dml_unique covers every statement kind it promises", () => {
  const text = new LocalGenerator(program, seed).statements(0n, 5000).join("\n");
  for (
    const needle of [
      /^SELECT .* JOIN /m,
      /^SELECT .* WHERE /m,
      / GROUP BY /,
      / HAVING /,
      / ORDER BY /,
      / LIMIT \d+/,
      /^INSERT INTO .*\), \(/m,
      / ON CONFLICT DO NOTHING/,
      / ON CONFLICT \(.*\) DO UPDATE SET /,
      / RETURNING /,
      /^UPDATE .* SET /m,
      /^DELETE FROM /m,
      /count\(\*\)/,
      / BETWEEN /,
      / IN \(/,
    ]
  ) ok(needle.test(text), `no statement matches ${needle}`);
});

Deno.test("a statement over the size limit fails with its index and rule", () => {
  const g = grammar("big", { maxStatementBytes: 4096 }).rule("q", repeat("xxxxxxxxxxxxxxxx", 1000, 1000));
  const p = compile(g, schema);
  throws(() => new LocalGenerator(p, seed).statement(3n), (e: unknown) => {
    ok(e instanceof GenerationError);
    deepStrictEqual(e.index, 3n);
    deepStrictEqual(e.rule, "q");
    return true;
  });
});

Deno.test("a failing statement in a parallel run reports its index", async () => {
  // Statement 30001 lands in the second block of worker 1.
  const g = grammar("pick", { maxStatementBytes: 4096 })
    .rule("q", choice([1000, number(1, 2)], [1, ref("t")]))
    .rule("t", withTable("t", "x", { names: ["no_such_table"] }));
  const p = compile(g, schema);
  const gen = new LocalGenerator(p, seed);
  let first = -1n;
  for (let i = 0n; i < 100000n; i++) {
    try {
      gen.statement(i);
    } catch {
      first = i;
      break;
    }
  }
  ok(first >= 0n, "expected some statement to pick the missing table");
  await generate(p, {
    seed,
    start: 0n,
    count: Number(first) + 5000,
    workers: 2,
    blockSize: 500,
    write: () => {},
  })
    .then(() => ok(false, "expected a failure"), (e: unknown) => {
      ok(e instanceof GenerationError, String(e));
      deepStrictEqual(e.index, first);
    });
});

Deno.test("recursion is pruned by the depth budget", () => {
  const g = grammar("deep", { maxDepth: 4 })
    .rule("q", template("SELECT {e}", { e: ref("e") }))
    .rule("e", choice([100, template("({e} + {e})")], [1, number(1, 9)]));
  const lines = new LocalGenerator(compile(g, schema), seed).statements(0n, 200);
  for (const l of lines) ok((l.match(/\(/g) ?? []).length <= 2 ** 4, l);
});

Deno.test("long names never write past the statement limit", () => {
  const name = "a table name with spaces that is exactly sixty-three bytes long";
  const wide = schemaFromJson({ name: "w", tables: [{ name, columns: [{ name: "id", type: "bigint" }] }] });
  const g = grammar("names", { maxStatementBytes: 4096 }).rule(
    "q",
    withTable("t", repeat(tableName("t"), 80, 80, ", ")),
  );
  throws(() => new LocalGenerator(compile(g, wide), seed).statement(0n), (e: unknown) => {
    ok(e instanceof GenerationError && /exceeds 4096 bytes/.test(e.message), String(e));
    return true;
  });
});

Deno.test("uniqueLiteral falls back to an ordinary literal on a column too narrow for unique values", () => {
  const narrow = schemaFromJson({
    name: "n",
    tables: [{ name: "t", columns: [{ name: "code", type: "varchar(5)", nullable: false }] }],
  });
  const g = grammar("u").rule(
    "q",
    withTable(
      "t",
      withColumn("c", "t", {}, template("SELECT {v}, {u}", { v: uniqueLiteral("c"), u: unique() })),
    ),
  );
  for (const line of new LocalGenerator(compile(g, narrow), seed).statements(0n, 200)) {
    const literal = /^SELECT '([^']*)'/.exec(line)![1]!;
    ok(literal.length >= 1 && literal.length <= 5, line);
  }
});

Deno.test("more than 256 unique values in one statement is an error, not a repeat", () => {
  const g = grammar("many").rule("q", repeat(unique(), 300, 300, ","));
  throws(() => new LocalGenerator(compile(g, schema), seed).statement(0n), /more than 256 unique values/);
  const fine = grammar("fine").rule("q", repeat(unique(), 256, 256, ","));
  const values = new LocalGenerator(compile(fine, schema), seed).statement(5n).split(",");
  deepStrictEqual(new Set(values).size, 256);
});
