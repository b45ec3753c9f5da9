/**
 * The library API: statements with their metadata, one call at a time.
 *
 * `generator({ seed, schema })` gives a {@link StatementGenerator} whose
 * calls each return the next statement (or statements) with its kind, tables
 * and features read from PostgreSQL's parse tree (`core/api/metadata.ts`).
 * Each statement has an index, counted over every call of the generator; the
 * statement at index `i` depends only on the seed, the schema, the call and
 * `i`, so a generator made again with the same seed repeats itself call for
 * call, and `fromGrammar(name, …)`'s statement at index `i` is what `quarry
 * generate -g name --seed S --at i` prints.
 *
 * Built-in grammars live above the library (`grammars/mod.ts`); pass their
 * registry as `grammars` for `fromGrammar` and `grammars()` to know them.
 *
 * @example Statements with metadata
 * ```ts
 * import { generator } from "./generator.ts";
 * import { BUILTIN_GRAMMARS } from "../../grammars/mod.ts";
 * const g = await generator({ seed: 42, grammars: BUILTIN_GRAMMARS });
 * const s = g.insert({ onConflict: "nothing", returning: true });
 * if (s.kind !== "insert" || !s.features.includes("on_conflict") || s.index !== 0) throw new Error(s.sql);
 * const q = g.select({ where: true, orderBy: true, joins: 1 });
 * if (q.kind !== "select" || q.tables.length < 1 || q.index !== 1) throw new Error(q.sql);
 * const batch = g.fromGrammar("dml_unique", 3);
 * if (batch.length !== 3 || batch[0]!.index !== 2) throw new Error();
 * if (!g.grammars().some((x) => x.name === "dml_unique")) throw new Error();
 * ```
 *
 * @module
 */
import type { Grammar } from "../dsl/grammar.ts";
import { compile, type Program } from "../compile/compile.ts";
import type { Schema } from "../schema/model.ts";
import { schemaFromJson } from "../schema/parse.ts";
import { createSchemaStatements } from "../schema/ddl.ts";
import { randomSchema } from "../schema/random.ts";
import { parseDialect } from "../dialect/dialects.ts";
import { LocalGenerator } from "../engine/local.ts";
import { parseSeed, randomSeed, type Seed } from "../seed.ts";
import { loadParser } from "../exec/parser.ts";
import { type Statement, statementMetadata } from "./metadata.ts";
import {
  deleteShape,
  type InsertOptions,
  insertShape,
  type SelectOptions,
  selectShape,
  updateShape,
  type WriteOptions,
} from "./shapes.ts";
import defaultSchemaJson from "../../configs/schemas/default.json" with { type: "json" };

/** A grammar a generator can name, as `grammars/mod.ts` registers them. */
export interface NamedGrammar {
  grammar: Grammar;
}

/** Options of {@link generator}. */
export interface GeneratorOptions {
  /** A seed as `quarry generate --seed` takes it (64 hex digits or a decimal number), or a Seed; fresh when absent. */
  seed?: Seed | string | number | bigint;
  /** The schema statements aim at [default: Quarry's default schema]. */
  schema?: Schema;
  /** Grammars `fromGrammar` can name, e.g. `BUILTIN_GRAMMARS` of `grammars/mod.ts`. */
  grammars?: ReadonlyMap<string, NamedGrammar>;
  /** Index of the first statement [default: 0]. */
  start?: number;
}

/** What {@link StatementGenerator.grammars} lists. */
export interface GrammarInfo {
  name: string;
  description: string;
}

/** Options of {@link StatementGenerator.ddl}. */
export interface DdlOptions {
  /** Tables in the random schema [default: 3]. */
  tables?: number;
  /** Dialect it is written for [default: postgres@15]. */
  dialect?: string;
}

/** Statements one call at a time; see the module documentation. */
export class StatementGenerator {
  readonly seed: Seed;
  readonly schema: Schema;
  readonly #grammars: ReadonlyMap<string, NamedGrammar>;
  readonly #runs = new Map<string, LocalGenerator>();
  #index: number;

  constructor(seed: Seed, schema: Schema, grammars: ReadonlyMap<string, NamedGrammar>, start: number) {
    this.seed = seed;
    this.schema = schema;
    this.#grammars = grammars;
    this.#index = start;
  }

  /** Index the next statement gets. */
  get index(): number {
    return this.#index;
  }

  #run(key: string, build: () => Program): LocalGenerator {
    let run = this.#runs.get(key);
    if (!run) {
      run = new LocalGenerator(build(), this.seed);
      this.#runs.set(key, run);
    }
    return run;
  }

  #shape(key: string, shape: () => Grammar): Statement {
    const i = this.#index++;
    return statementMetadata(this.#run(key, () => compile(shape(), this.schema)).statement(BigInt(i)), i);
  }

  /** One SELECT: `where`, `orderBy`, `joins` (along foreign keys) and `joinType` as asked. */
  select(options: SelectOptions = {}): Statement {
    return this.#shape(`select ${JSON.stringify(options)}`, () => selectShape(options));
  }

  /** One INSERT: `onConflict`, `returning` and `rows` as asked. */
  insert(options: InsertOptions = {}): Statement {
    return this.#shape(`insert ${JSON.stringify(options)}`, () => insertShape(options));
  }

  /** One UPDATE, with a WHERE clause unless `where` is false. */
  update(options: WriteOptions = {}): Statement {
    return this.#shape(`update ${JSON.stringify(options)}`, () => updateShape(options));
  }

  /** One DELETE, with a WHERE clause unless `where` is false. */
  delete(options: WriteOptions = {}): Statement {
    return this.#shape(`delete ${JSON.stringify(options)}`, () => deleteShape(options));
  }

  /**
   * The next `count` statements of a grammar: a name from `grammars`, or a Grammar.
   *
   * @throws {RangeError} For a name the generator was not given.
   */
  fromGrammar(grammar: string | Grammar, count: number): Statement[] {
    const g = typeof grammar === "string" ? this.#grammars.get(grammar)?.grammar : grammar;
    if (!g) {
      throw new RangeError(
        `unknown grammar "${grammar}" (known: ${[...this.#grammars.keys()].join(", ") || "none given"})`,
      );
    }
    const first = this.#index;
    this.#index += count;
    return this.#run(`grammar ${g.name}`, () => compile(g, this.schema)).statements(BigInt(first), count)
      .map((sql, k) => statementMetadata(sql, first + k));
  }

  /**
   * CREATE statements for a random schema of `tables` tables (types, tables,
   * keys, indexes, views, routines), each a statement of its own, as `quarry
   * ddl` writes them; the schema is drawn from the seed and the index.
   */
  ddl(options: DdlOptions = {}): Statement[] {
    const dialect = parseDialect(options.dialect ?? "postgres@15");
    if (typeof dialect === "string") throw new RangeError(dialect);
    const i = this.#index;
    const [a, b, c, d] = this.seed;
    const schema = randomSchema({
      tables: options.tables ?? 3,
      seed: [a ^ BigInt(i), b, c, d],
      dialect,
      complexity: "medium",
    });
    const sql = createSchemaStatements(schema);
    this.#index += sql.length;
    return sql.map((s, k) => statementMetadata(s, i + k));
  }

  /** The grammars `fromGrammar` can name, with their descriptions. */
  grammars(): GrammarInfo[] {
    return [...this.#grammars].map(([name, g]) => ({ name, description: g.grammar.description ?? "" }));
  }
}

/**
 * A statement generator for a seed and a schema; loads PostgreSQL's parser
 * (for the metadata) on first use.
 *
 * @throws {RangeError} For a seed that does not parse.
 */
export async function generator(options: GeneratorOptions = {}): Promise<StatementGenerator> {
  await loadParser();
  let seed: Seed;
  if (options.seed === undefined) seed = randomSeed();
  else if (Array.isArray(options.seed)) seed = options.seed as Seed;
  else {
    const parsed = parseSeed(String(options.seed));
    if (typeof parsed === "string") throw new RangeError(parsed);
    seed = parsed;
  }
  return new StatementGenerator(
    seed,
    options.schema ?? schemaFromJson(defaultSchemaJson),
    options.grammars ?? new Map(),
    options.start ?? 0,
  );
}
