/**
 * Random schemas for DDL testing (`quarry ddl`): tables with single or
 * composite primary keys, UNIQUE and CHECK constraints (with matching value
 * ranges, so generated rows keep them true), foreign keys to earlier tables
 * with ON DELETE actions, defaults, stored generated columns and indexes,
 * each gated by the dialect.
 *
 * @module
 */
import type { Column, ForeignKey, ReferentialAction, Schema, Table, UserType } from "./model.ts";
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

/** A schema model plus the DDL the model does not hold yet (indexes, views). */
export interface RandomSchema {
  schema: Schema;
  /** CREATE INDEX and CREATE VIEW statements, to run after the tables. */
  extra: string[];
}

const COLUMN_TYPES = [
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

const SIZES: Record<Complexity, { columns: number; checks: number; indexes: number }> = {
  low: { columns: 3, checks: 0.1, indexes: 0.3 },
  medium: { columns: 7, checks: 0.3, indexes: 0.6 },
  high: { columns: 14, checks: 0.5, indexes: 1 },
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

/** Makes a random schema for the dialect; the same options give the same schema. */
export function randomSchema(o: RandomSchemaOptions): RandomSchema {
  const dice = new Dice(o.seed);
  const size = SIZES[o.complexity];
  const words = vocabulary("word").filter((w) => /^[a-z]{3,10}$/.test(w));
  const tables: Table[] = [];
  const extra: string[] = [];
  const types: UserType[] = [];
  const enumCount = dice.int(0, 2);
  for (let e = 0; e < enumCount; e++) {
    const labels = [...new Set(Array.from({ length: dice.int(2, 6) }, () => dice.pick(words)))];
    types.push({ name: `${dice.pick(words)}_kind_${e}`, kind: "enum", labels });
  }
  for (let i = 0; i < o.tables; i++) {
    // High complexity also uses names that need quoting.
    const base = dice.pick(words);
    const name = o.complexity === "high" && dice.chance(0.3)
      ? `${base[0]!.toUpperCase()}${base.slice(1)} ${i}`
      : `${base}_${i}`;
    const columns: Column[] = [{ name: "id", type: "bigint", nullable: false }];
    const primaryKey = ["id"];
    if (dice.chance(0.3)) {
      columns.push({ name: "part", type: "smallint", nullable: false, range: [1, 50] });
      primaryKey.push("part");
    }
    const table: Table = { name, columns, primaryKey, seedRows: 20 };
    const extraColumns = dice.int(1, size.columns);
    for (let c = 0; c < extraColumns; c++) {
      const type: string = types.length > 0 && dice.chance(0.1)
        ? dice.pick(types).name
        : dice.pick(COLUMN_TYPES);
      const col: Column = { name: `c${c}_${dice.pick(words)}`, type };
      if (dice.chance(0.3)) col.nullable = false;
      if (type === "boolean" && dice.chance(0.5)) col.default = "true";
      if (type === "timestamptz" && dice.chance(0.5)) col.default = "now()";
      if ((type === "integer" || type === "smallint") && dice.chance(size.checks)) {
        const lo = dice.int(0, 100);
        const hi = lo + dice.int(1, 1000);
        col.range = [lo, hi];
        (table.checks ??= []).push({ expression: `${quoteIdent(col.name)} BETWEEN ${lo} AND ${hi}` });
      }
      if ((type === "text" || type === "uuid" || type === "varchar(40)") && dice.chance(0.2)) {
        (table.unique ??= []).push([col.name]);
      }
      columns.push(col);
    }
    // A stored generated column over an integer column, where the dialect has them.
    const intCol = columns.find((c) => c.type === "integer" && c.name !== "id");
    if (intCol && o.dialect.features.has("generated_stored") && dice.chance(0.4)) {
      columns.push({
        name: `${intCol.name}_x2`,
        type: "bigint",
        generated: `${quoteIdent(intCol.name)} * 2`,
      });
    }
    // A foreign key to an earlier table, with columns of the same types.
    if (i > 0 && dice.chance(0.6)) {
      const parent = dice.pick(tables);
      const nullable = dice.chance(0.4);
      const refs = parent.primaryKey!;
      const fkColumns = refs.map((r, k) => {
        const parentCol = parent.columns.find((c) => c.name === r)!;
        const col: Column = { name: `ref${k}_${r}`, type: parentCol.type };
        if (!nullable) col.nullable = false;
        columns.push(col);
        return col.name;
      });
      const actions: ReferentialAction[] = nullable
        ? ["cascade", "restrict", "set null", "no action"]
        : ["cascade", "restrict", "no action"];
      const fk: ForeignKey = { columns: fkColumns, references: { table: parent.name, columns: [...refs] } };
      fk.onDelete = dice.pick(actions);
      table.foreignKeys = [fk];
    }
    tables.push(table);
    // Indexes the dialect accepts.
    for (const col of columns) {
      if (!dice.chance(size.indexes / 4) || col.generated) continue;
      const target = qualifiedName(name);
      const idx = quoteIdent(`i${i}_${col.name}`.slice(0, 60));
      if (col.type === "jsonb") {
        if (o.dialect.family === "postgres") {
          extra.push(`CREATE INDEX ${idx} ON ${target} USING gin (${quoteIdent(col.name)})`);
        }
      } else if (col.type === "date" && o.dialect.features.has("index_brin")) {
        extra.push(`CREATE INDEX ${idx} ON ${target} USING brin (${quoteIdent(col.name)})`);
      } else if (col.type === "inet" && o.dialect.features.has("index_gist")) {
        extra.push(`CREATE INDEX ${idx} ON ${target} USING gist (${quoteIdent(col.name)} inet_ops)`);
      } else if (col.type !== "jsonb") {
        extra.push(`CREATE INDEX ${idx} ON ${target} (${quoteIdent(col.name)})`);
      }
    }
    if (dice.chance(0.3)) {
      const shown = columns.slice(0, 3).map((c) => quoteIdent(c.name)).join(", ");
      extra.push(
        `CREATE VIEW ${quoteIdent(`v_${name}`.slice(0, 60))} AS SELECT ${shown} FROM ${qualifiedName(name)}`,
      );
    }
  }
  const schema: Schema = types.length > 0
    ? { name: `random_${o.tables}`, types, tables }
    : { name: `random_${o.tables}`, tables };
  return { schema, extra };
}
