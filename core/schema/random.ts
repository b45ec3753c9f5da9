/**
 * Random schemas for DDL testing (`quarry ddl`): enum, domain and composite
 * types; tables over the PostgreSQL type system with single or composite
 * primary keys, UNIQUE (and NULLS NOT DISTINCT), CHECK constraints (with
 * matching value ranges, so generated rows keep them true), foreign keys to
 * earlier tables with ON DELETE actions, defaults, identity and stored
 * generated columns, partitioning; indexes of every access method (partial
 * and expression ones too); views and materialized views; SQL and PL/pgSQL
 * functions and procedures; and on YugabyteDB hash/range sharding,
 * presplitting and colocation. Every feature is gated by the dialect.
 *
 * @module
 */
import type {
  Column,
  ForeignKey,
  Index,
  Partitioning,
  ReferentialAction,
  Routine,
  Schema,
  Table,
  UserType,
  View,
} from "./model.ts";
import type { Dialect } from "../dialect/dialects.ts";
import { Xoshiro256 } from "../rng/xoshiro256.ts";
import type { Seed } from "../seed.ts";
import { qualifiedName, quoteIdent } from "../dialect/quote.ts";
import { vocabulary } from "../vocab/vocabularies.ts";

/** How much a schema uses: columns per table, constraint and index density. */
export type Complexity = "low" | "medium" | "high";

/** Options of {@link randomSchema}. */
export interface RandomSchemaOptions {
  tables: number;
  seed: Seed;
  dialect: Dialect;
  complexity: Complexity;
}

/** Column types with weights; the common scalar types come up most. */
const SCALAR_TYPES = [
  "smallint",
  "integer",
  "bigint",
  "numeric(10,2)",
  "real",
  "double precision",
  "text",
  "varchar(40)",
  "char(3)",
  "boolean",
  "date",
  "timestamp",
  "timestamptz",
  "time",
  "interval",
  "uuid",
  "jsonb",
  "bytea",
  "inet",
] as const;

const BROAD_TYPES = [
  "numeric(18,4)",
  "json",
  "money",
  "bit(8)",
  "varbit(16)",
  "tsvector",
  "point",
  "cidr",
  "macaddr",
  "int4range",
  "int8range",
  "numrange",
  "daterange",
  "tsrange",
  "tstzrange",
  "integer[]",
  "bigint[]",
  "text[]",
  "varchar(20)[]",
  "numeric(10,2)[]",
  "date[]",
  "boolean[]",
] as const;

const MULTIRANGE_TYPES = ["int4multirange", "datemultirange", "nummultirange"] as const;

const RANGE_TYPES = new Set<string>([
  "int4range",
  "int8range",
  "numrange",
  "daterange",
  "tsrange",
  "tstzrange",
  ...MULTIRANGE_TYPES,
]);

/** Types with a hash operator class (jsonb and inet get gin and spgist indexes instead). */
const HASHABLE = new Set<string>([
  ...SCALAR_TYPES.filter((t) => t !== "jsonb" && t !== "inet"),
  "numeric(12,2)",
  "numeric(18,4)",
  "macaddr",
]);

const SIZES: Record<Complexity, { columns: number; checks: number; indexes: number; extras: number }> = {
  low: { columns: 3, checks: 0.1, indexes: 0.3, extras: 0.2 },
  medium: { columns: 7, checks: 0.3, indexes: 0.6, extras: 0.4 },
  high: { columns: 14, checks: 0.5, indexes: 1, extras: 0.7 },
};

class Dice {
  #rng: Xoshiro256;
  constructor(seed: Seed) {
    this.#rng = new Xoshiro256([seed[0] | 1n, seed[1], seed[2], seed[3]]);
  }
  /** A whole number in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Number(this.#rng.next() % BigInt(hi - lo + 1));
  }
  chance(p: number): boolean {
    return Number(this.#rng.next() >> 11n) / 2 ** 53 < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)]!;
  }
}

/** Names are at most 63 bytes; generated ones are ASCII, so slicing characters is enough. */
const name63 = (s: string) => s.slice(0, 63);

/** Makes a random schema for the dialect; the same options give the same schema. */
export function randomSchema(o: RandomSchemaOptions): Schema {
  return new SchemaMaker(o).make();
}

class SchemaMaker {
  readonly dice: Dice;
  readonly size: (typeof SIZES)[Complexity];
  readonly words: string[];
  readonly types: UserType[] = [];
  readonly tables: Table[] = [];
  readonly views: View[] = [];
  readonly routines: Routine[] = [];
  readonly yb: boolean;
  colocated = false;

  constructor(readonly o: RandomSchemaOptions) {
    this.dice = new Dice(o.seed);
    this.size = SIZES[o.complexity];
    this.words = vocabulary("word").filter((w) => /^[a-z]{3,10}$/.test(w));
    this.yb = o.dialect.family === "yugabyte";
  }

  has(feature: Parameters<Dialect["features"]["has"]>[0]): boolean {
    return this.o.dialect.features.has(feature);
  }

  word(): string {
    return this.dice.pick(this.words);
  }

  make(): Schema {
    const { dice } = this;
    this.makeTypes();
    this.colocated = this.yb && dice.chance(0.3);
    for (let i = 0; i < this.o.tables; i++) this.makeTable(i);
    this.makeRoutines();
    const schema: Schema = { name: `random_${this.o.tables}`, tables: this.tables };
    if (this.types.length > 0) schema.types = this.types;
    if (this.views.length > 0) schema.views = this.views;
    if (this.routines.length > 0) schema.routines = this.routines;
    if (this.colocated) schema.colocated = true;
    return schema;
  }

  makeTypes(): void {
    const { dice } = this;
    for (let e = dice.int(0, 2); e > 0; e--) {
      const labels = [...new Set(Array.from({ length: dice.int(2, 6) }, () => this.word()))];
      this.types.push({ name: `${this.word()}_kind_${this.types.length}`, kind: "enum", labels });
    }
    for (let d = dice.int(0, 2); d > 0; d--) {
      const name = `${this.word()}_dom_${this.types.length}`;
      const kind = dice.int(0, 2);
      if (kind === 0) {
        const lo = dice.int(0, 100);
        const hi = lo + dice.int(10, 10000);
        this.types.push({
          name,
          kind: "domain",
          base: "integer",
          checks: [`VALUE BETWEEN ${lo} AND ${hi}`],
          range: [lo, hi],
        });
      } else if (kind === 1) {
        this.types.push({
          name,
          kind: "domain",
          base: "text",
          checks: ["char_length(VALUE) BETWEEN 1 AND 200"],
        });
      } else {
        this.types.push({
          name,
          kind: "domain",
          base: "numeric(12,2)",
          checks: ["VALUE >= 0"],
          range: [0, 99999],
        });
      }
    }
    if (dice.chance(this.size.extras / 2)) {
      const pool = ["integer", "text", "date", "boolean", "numeric(8,2)", "timestamptz"];
      const count = dice.int(2, 4);
      const attributes = Array.from(
        { length: count },
        (_, k) => ({ name: `f${k}_${this.word()}`, type: dice.pick(pool) }),
      );
      this.types.push({ name: `${this.word()}_row_${this.types.length}`, kind: "composite", attributes });
    }
    // Types of types: a domain whose values match a pattern, and a composite holding arrays of the types before it.
    if (dice.chance(this.size.extras / 2)) {
      this.types.push({
        name: `${this.word()}_code_${this.types.length}`,
        kind: "domain",
        base: "text",
        checks: [dice.pick(["VALUE ~ '^[A-Z]{2}-[0-9]{3}$'", "VALUE ~ '^[a-z]+(_[a-z0-9]+)?$'"])],
      });
    }
    if (this.types.length > 0 && dice.chance(this.size.extras / 2)) {
      const inner = dice.pick(this.types).name;
      this.types.push({
        name: `${this.word()}_nest_${this.types.length}`,
        kind: "composite",
        attributes: [
          { name: "tag", type: inner },
          { name: "many", type: `${inner}[]` },
          { name: "n", type: "integer" },
        ],
      });
    }
  }

  columnType(): string {
    const { dice } = this;
    if (this.types.length > 0 && dice.chance(0.1)) {
      // A user type, or now and then an array of one.
      return `${dice.pick(this.types).name}${dice.chance(0.3) ? "[]" : ""}`;
    }
    if (dice.chance(0.35)) {
      if (this.has("multirange") && dice.chance(0.1)) return dice.pick(MULTIRANGE_TYPES);
      return dice.pick(BROAD_TYPES);
    }
    return dice.pick(SCALAR_TYPES);
  }

  makeTable(i: number): void {
    const { dice, size } = this;
    const base = this.word();
    // High complexity also uses names that need quoting.
    const name = this.o.complexity === "high" && dice.chance(0.3)
      ? `${base[0]!.toUpperCase()}${base.slice(1)} ${i}`
      : `${base}_${i}`;
    const columns: Column[] = [{ name: "id", type: "bigint", nullable: false }];
    const primaryKey = ["id"];
    if (dice.chance(0.3)) {
      columns.push({ name: "part", type: "smallint", nullable: false, range: [1, 50] });
      primaryKey.push("part");
    }
    const table: Table = { name, columns, primaryKey, seedRows: 20 };
    const partitioned = dice.chance(size.extras / 3);
    for (let c = dice.int(1, size.columns); c > 0; c--) {
      const type = this.columnType();
      const col: Column = { name: `c${columns.length}_${this.word()}`, type };
      if (dice.chance(0.3)) col.nullable = false;
      if (type === "boolean" && dice.chance(0.5)) col.default = "true";
      if (type === "timestamptz" && dice.chance(0.5)) col.default = "now()";
      if ((type === "integer" || type === "smallint") && dice.chance(size.checks)) {
        const lo = dice.int(0, 100);
        const hi = lo + dice.int(1, 1000);
        col.range = [lo, hi];
        (table.checks ??= []).push({ expression: `${quoteIdent(col.name)} BETWEEN ${lo} AND ${hi}` });
      }
      // A partitioned table's unique constraints must hold its partition key; it gets none.
      if (["text", "uuid", "varchar(40)"].includes(type) && !partitioned && dice.chance(0.2)) {
        if (col.nullable !== false && this.has("nulls_not_distinct") && dice.chance(0.4)) {
          (table.uniqueNullsNotDistinct ??= []).push([col.name]);
        } else {
          (table.unique ??= []).push([col.name]);
        }
      }
      columns.push(col);
    }
    // A stored generated column over an integer column, where the dialect has them.
    const intCol = columns.find((c) => c.type === "integer" && c.name !== "id");
    if (intCol && this.has("generated_stored") && dice.chance(0.4)) {
      columns.push({
        name: `${intCol.name}_x2`,
        type: "bigint",
        generated: `${quoteIdent(intCol.name)} * 2`,
      });
    }
    if ((!partitioned || this.has("identity_on_partitioned")) && dice.chance(size.extras / 4)) {
      columns.push({
        name: "seq",
        type: "bigint",
        nullable: false,
        identity: dice.pick(["always", "by default"] as const),
      });
    }
    this.addForeignKey(table, i);
    if (partitioned) table.partitioning = this.partitioning(name);
    if (this.yb) this.shard(table, partitioned);
    this.tables.push(table);
    this.addIndexes(table, i);
    this.addViews(table);
  }

  addForeignKey(table: Table, i: number): void {
    const { dice } = this;
    const parents = this.tables.filter((t) => !t.partitioning || this.has("foreign_key_to_partitioned"));
    if (i === 0 || parents.length === 0 || !dice.chance(0.6)) return;
    const parent = dice.pick(parents);
    const nullable = dice.chance(0.4);
    const refs = parent.primaryKey!;
    const fkColumns = refs.map((r, k) => {
      const parentCol = parent.columns.find((c) => c.name === r)!;
      const col: Column = { name: `ref${k}_${r}`, type: parentCol.type };
      if (!nullable) col.nullable = false;
      table.columns.push(col);
      return col.name;
    });
    const actions: ReferentialAction[] = nullable
      ? ["cascade", "restrict", "set null", "no action"]
      : ["cascade", "restrict", "no action"];
    const fk: ForeignKey = { columns: fkColumns, references: { table: parent.name, columns: [...refs] } };
    fk.onDelete = dice.pick(actions);
    table.foreignKeys = [fk];
  }

  /** Partitions by `id`; range and list ones keep a DEFAULT partition so every row has a home. */
  partitioning(table: string): Partitioning {
    const { dice } = this;
    const by = dice.pick(["range", "list", "hash"] as const);
    const part = (k: number) => name63(`${table}_p${k}`);
    const partitions: Partitioning["partitions"] = [];
    if (by === "hash") {
      const modulus = dice.int(2, 4);
      for (let r = 0; r < modulus; r++) {
        partitions.push({ name: part(r), bound: `FOR VALUES WITH (modulus ${modulus}, remainder ${r})` });
      }
    } else if (by === "range") {
      let lo = "MINVALUE";
      let bound = 0;
      for (let k = 0, n = dice.int(1, 3); k < n; k++) {
        bound += dice.int(5, 10);
        const hi = `'${bound}'`;
        partitions.push({ name: part(k), bound: `FOR VALUES FROM (${lo}) TO (${hi})` });
        lo = hi;
      }
      partitions.push({ name: part(9), bound: "DEFAULT" });
    } else {
      for (let k = 0, n = dice.int(1, 3); k < n; k++) {
        const values = [1, 2, 3].map((v) => `'${k * 3 + v}'`);
        partitions.push({ name: part(k), bound: `FOR VALUES IN (${values.join(", ")})` });
      }
      partitions.push({ name: part(9), bound: "DEFAULT" });
    }
    return { by, columns: ["id"], partitions };
  }

  /** YugabyteDB: hash or range sharding of the key, presplitting, colocation opt-out. */
  shard(table: Table, partitioned: boolean): void {
    const { dice } = this;
    const keys = table.primaryKey!.length;
    const hashColumns = dice.chance(0.7) ? dice.int(1, keys) : 0;
    table.sharding = { hashColumns };
    const own = !this.colocated || dice.chance(0.5);
    if (this.colocated && own) table.sharding.colocation = false;
    if (own && hashColumns > 0 && !partitioned && dice.chance(0.4)) table.sharding.splitInto = dice.int(2, 8);
  }

  addIndexes(table: Table, i: number): void {
    const { dice, size } = this;
    const indexes: Index[] = [];
    const indexName = (what: string) => name63(`i${i}_${indexes.length}_${what}`);
    for (const col of table.columns) {
      if (!dice.chance(size.indexes / 4) || col.generated || col.identity) continue;
      const index = this.indexFor(col, indexName(col.name));
      if (index) indexes.push(index);
    }
    // Partial and expression indexes over text and integer columns.
    const q = (c: Column) => quoteIdent(c.name);
    const text = table.columns.find((c) => c.type === "text");
    if (text && !this.yb && dice.chance(size.extras / 2)) {
      const index: Index = { name: indexName("lower"), keys: [{ expression: `lower(${q(text)})` }] };
      if (dice.chance(0.5)) index.where = `${q(text)} IS NOT NULL`;
      indexes.push(index);
    }
    const int = table.columns.find((c) => c.type === "integer" && !c.generated);
    if (int && dice.chance(size.extras / 2)) {
      const index: Index = dice.chance(0.5) || this.yb
        ? { name: indexName("part"), keys: [int.name], where: `${q(int)} > ${dice.int(0, 500)}` }
        : { name: indexName("expr"), keys: [{ expression: `(${q(int)} + 1)` }] };
      indexes.push(index);
    }
    if (indexes.length > 0) table.indexes = indexes;
  }

  /** An index suited to the column's type and the dialect's access methods, or none. */
  indexFor(col: Column, name: string): Index | undefined {
    const { dice } = this;
    const type = col.type;
    const userType = this.types.find((t) => t.name === type);
    const keys = [col.name];
    const gist = this.has("index_gist");
    const spgist = this.has("index_spgist");
    if (type === "jsonb" || type === "tsvector" || type.endsWith("[]")) {
      if (type === "tsvector" && gist && dice.chance(0.3)) return { name, method: "gist", keys };
      return { name, method: this.yb ? "ybgin" : "gin", keys };
    }
    if (type === "point") {
      if (spgist && dice.chance(0.5)) return { name, method: "spgist", keys };
      return gist ? { name, method: "gist", keys } : undefined;
    }
    if (RANGE_TYPES.has(type)) return gist ? { name, method: "gist", keys } : undefined;
    if (type === "inet" || type === "cidr") return spgist ? { name, method: "spgist", keys } : undefined;
    if (type === "json" || userType?.kind === "composite") return undefined;
    if ((type === "date" || type === "timestamp") && this.has("index_brin") && dice.chance(0.5)) {
      return { name, method: "brin", keys };
    }
    if (this.yb) {
      return dice.chance(0.5) ? { name, keys, hashKeys: 1 } : { name, keys };
    }
    return HASHABLE.has(userType?.kind === "domain" ? userType.base : type) && dice.chance(0.25)
      ? { name, method: "hash", keys }
      : { name, keys };
  }

  addViews(table: Table): void {
    const { dice } = this;
    if (!dice.chance(this.size.extras / 2)) return;
    const shown = table.columns.slice(0, 3).map((c) => quoteIdent(c.name)).join(", ");
    const from = qualifiedName(table.name);
    const materialized = dice.chance(0.3);
    this.views.push({
      name: name63(`${materialized ? "mv" : "v"}_${table.name}`),
      query: `SELECT ${shown} FROM ${from}${dice.chance(0.5) ? " WHERE id > 10" : ""}`,
      ...(materialized ? { materialized: true } : {}),
    });
  }

  makeRoutines(): void {
    const { dice } = this;
    const count = dice.int(0, Math.round(this.size.extras * 4));
    for (let k = 0; k < count && this.tables.length > 0; k++) {
      const table = dice.pick(this.tables);
      const t = qualifiedName(table.name);
      const name = `${this.word()}_fn_${k}`;
      switch (dice.int(0, 3)) {
        case 0: {
          const atomic = this.has("sql_function_body") && dice.chance(0.5);
          this.routines.push({
            name,
            kind: "function",
            language: "sql",
            arguments: "a integer",
            returns: "integer",
            volatility: "immutable",
            body: atomic ? `SELECT a + ${k + 1};` : `SELECT a + ${k + 1}`,
            ...(atomic ? { atomic } : {}),
          });
          break;
        }
        case 1:
          this.routines.push({
            name,
            kind: "function",
            language: "sql",
            arguments: "",
            returns: "bigint",
            volatility: "stable",
            body: `SELECT count(*) FROM ${t}`,
          });
          break;
        case 2:
          this.routines.push({
            name,
            kind: "function",
            language: "plpgsql",
            arguments: "p_id bigint",
            returns: "bigint",
            volatility: "stable",
            body: `DECLARE n bigint; BEGIN SELECT count(*) INTO n FROM ${t} WHERE id <= p_id; RETURN n; END`,
          });
          break;
        default: {
          const name = `${this.word()}_proc_${k}`;
          const language = dice.pick(["sql", "plpgsql"] as const);
          const body = language === "sql"
            ? `DELETE FROM ${t} WHERE id = p_id`
            : `BEGIN DELETE FROM ${t} WHERE id = p_id; END`;
          this.routines.push({ name, kind: "procedure", language, arguments: "p_id bigint", body });
        }
      }
    }
  }
}
