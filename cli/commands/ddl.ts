/**
 * `quarry ddl`: a random schema as DDL, with its schema JSON for `generate`.
 *
 * @module
 */
import { parseCount, parseFlags } from "../args.ts";
import { UsageError } from "../errors.ts";
import { fileSink, stdoutSink } from "../output.ts";
import { parseDialect } from "../../core/dialect/dialects.ts";
import { type Complexity, randomSchema } from "../../core/schema/random.ts";
import { createSchemaStatements } from "../../core/schema/ddl.ts";
import { formatSeed, parseSeed, randomSeed } from "../../core/seed.ts";

export const DDL_HELP = `quarry ddl: a random schema as DDL

Usage:
  quarry ddl [--tables N] [--seed S] [--dialect D] [--complexity LEVEL]
             [--schema-out FILE] [--output FILE]

Prints the DDL of a random schema, one statement per line: enum, domain and
composite types; tables over the PostgreSQL type system (arrays, ranges,
bit strings, tsvector, money, point, json, network types among them) with
single or composite primary keys, UNIQUE (NULLS NOT DISTINCT where allowed)
and CHECK constraints, foreign keys with ON DELETE actions in a valid order,
defaults, identity and stored generated columns, and partitions; indexes
(btree, hash, gin, gist, brin, spgist; partial and expression ones); views
and materialized views; SQL and PL/pgSQL functions and procedures. Each
feature appears only where the dialect has it. YugabyteDB gets its own DDL:
PRIMARY KEY ((a, b) HASH, c ASC), SPLIT INTO n TABLETS, colocation, ybgin.
The same seed gives the same schema; the effective seed goes to stderr.

Options:
      --tables N           Tables to create [default: 5]
      --seed S             64 hex digits or a decimal number [default: fresh]
      --dialect D          postgres@12 .. postgres@18, yugabyte@2.20,
                           yugabyte@2025.1 [default: postgres@15]
      --complexity LEVEL   low, medium or high: columns per table and how
                           many constraints and indexes [default: medium]
      --schema-out FILE    Also write the schema JSON, for generate --schema
  -o, --output FILE|-      Where the DDL goes [default: -]
  -h, --help               Show this help

Exit codes: 0 success, 2 bad usage, 3 output failure.`;

const OPTIONS = {
  tables: { type: "string" },
  seed: { type: "string" },
  dialect: { type: "string" },
  complexity: { type: "string" },
  "schema-out": { type: "string" },
  output: { type: "string", short: "o" },
  help: { type: "boolean", short: "h" },
} as const;

const encoder = new TextEncoder();

/** Runs `quarry ddl`; returns the exit code. */
export function ddlCommand(argv: string[]): Promise<number> {
  const { values: v } = parseFlags(argv, OPTIONS, "ddl");
  if (v.help) {
    console.log(DDL_HELP);
    return Promise.resolve(0);
  }
  const tables = v.tables === undefined ? 5 : Number(parseCount(v.tables as string, "--tables"));
  if (tables < 1 || tables > 1000) throw new UsageError(`--tables must be from 1 to 1000 (got ${v.tables})`);
  const dialect = parseDialect((v.dialect as string | undefined) ?? "postgres@15");
  if (typeof dialect === "string") throw new UsageError(dialect);
  const complexity = (v.complexity as string | undefined) ?? "medium";
  if (!["low", "medium", "high"].includes(complexity)) {
    throw new UsageError(`--complexity must be low, medium or high (got "${complexity}")`);
  }
  const seed = v.seed === undefined ? randomSeed() : parseSeed(v.seed as string);
  if (typeof seed === "string") throw new UsageError(seed);
  console.error(`quarry: seed ${formatSeed(seed)}`);
  const schema = randomSchema({ tables, seed, dialect, complexity: complexity as Complexity });
  if (schema.colocated) {
    console.error(
      "quarry: these tables are for a colocated database (CREATE DATABASE … WITH COLOCATION = true)",
    );
  }
  const ddl = createSchemaStatements(schema).map((s) => `${s};\n`).join("");
  if (v["schema-out"] !== undefined) {
    const out = fileSink(v["schema-out"] as string);
    out.write(encoder.encode(JSON.stringify(schema, null, 2) + "\n"));
    out.commit();
  }
  const output = (v.output as string | undefined) ?? "-";
  const sink = output === "-" ? stdoutSink() : fileSink(output);
  sink.write(encoder.encode(ddl));
  sink.commit();
  return Promise.resolve(0);
}
