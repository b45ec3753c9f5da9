/**
 * `quarry events --fill N`: before churning, the empty churned tables get N
 * rows each through `quarry data`'s machinery (the spec derived from the
 * live schema, the kernel, COPY in foreign-key order). A foreign key to a
 * table being filled references the rows generated for it, as in `data
 * load`; a foreign key to a table that already holds rows draws from a pool
 * of its existing keys, written into the image before the load.
 *
 * A table whose primary or unique key holds such a pooled foreign key is not
 * filled (COPY would fail on the first repeated key): events insert into it
 * row by row instead, retrying duplicates. Nor is a table that references
 * one left unfilled.
 *
 * @module
 */
import type { PGlite } from "@electric-sql/pglite";
import type { Schema } from "../schema/model.ts";
import { specFromSchema } from "../data/from_schema.ts";
import { compileTables, type PlannedTable, type PoolColumn } from "../data/compile.ts";
import { loadData, type TableLoad } from "../data/load.ts";
import { sharedMemory } from "../../wasm/kernel.ts";
import { PROGRAM_BASE } from "../../wasm/layout.ts";
import { qualifiedName } from "../dialect/quote.ts";
import type { Seed } from "../seed.ts";
import type { EventsGenerator } from "./config.ts";
import { eventTables } from "./tables.ts";
import { KeyPool } from "./key_pool.ts";
import { fillPool, type Query, tableRows } from "./prepare.ts";
import { poolColumns } from "./row_programs.ts";

/** Options of {@link fillEmptyTables}. */
export interface FillOptions {
  generator: EventsGenerator;
  /** Rows per empty table (tables whose rows follow from a parent's get their own counts). */
  rows: number;
  seed: Seed;
  /** "pglite" or a postgres:// URL, for the COPY connections. */
  db: string;
  pglite?: PGlite;
  connections?: number;
  signal?: AbortSignal;
}

/** What {@link fillEmptyTables} loaded, and what it left alone. */
export interface FillReport {
  tables: TableLoad[];
  warnings: string[];
}

/**
 * Fills the empty churned tables of `schema`. Call `loadParser()` first.
 *
 * @throws {LoadError} When the database refuses the rows.
 */
export async function fillEmptyTables(schema: Schema, query: Query, o: FillOptions): Promise<FillReport> {
  const { tables } = eventTables(schema, o.generator);
  const warnings: string[] = [];
  const empty = new Set<string>();
  for (const t of tables) {
    const o = await query(`SELECT 1 FROM ${t.sql} LIMIT 1`);
    if (o.ok && o.rows.length === 0) empty.add(t.name);
  }
  if (empty.size === 0) return { tables: [], warnings };
  // Keys the database would fill are given values (COPY writes them), so children can reference them.
  const copy: Schema = structuredClone(schema);
  for (const t of copy.tables) {
    t.schema ??= o.generator.schemaName;
    for (const c of t.columns) if (c.identity === "always") c.identity = "by default";
  }
  const derived = specFromSchema(copy, { rows: o.rows });
  const byName = new Map(copy.tables.map((t) => [t.name, t]));
  // Leave out tables whose keys would repeat pooled parents, and, in turn, those that reference them.
  const skipped = new Set<string>();
  for (let changed = true; changed;) {
    changed = false;
    for (const name of empty) {
      if (skipped.has(name)) continue;
      const t = byName.get(name)!;
      // A key holding a pooled foreign key stays unique only through a column drawn uniquely.
      const spec = derived.planned.find((p) => p.name === name);
      const unique = (c: string) => {
        const m = (spec?.columns.find((x) => x.name === c)?.spec as { method?: string } | undefined)?.method;
        // An ordinal restarts under every parent: with parents drawn from a pool it would repeat.
        return m === "unique_ids";
      };
      const keys = [t.primaryKey ?? [], ...(t.unique ?? [])].filter((k) => k.length > 0);
      const why = (t.foreignKeys ?? []).find((fk) =>
        skipped.has(fk.references.table) ||
        (!empty.has(fk.references.table) &&
          keys.some((k) => fk.columns.some((c) => k.includes(c)) && !k.some(unique)))
      );
      if (!why) continue;
      skipped.add(name);
      changed = true;
      warnings.push(
        `--fill: table "${name}" is not filled: ${
          skipped.has(why.references.table)
            ? `it references "${why.references.table}", which is not filled`
            : `its key holds (${why.columns.join(", ")}), which must repeat rows of "${why.references.table}"`
        }; events insert into it row by row`,
      );
    }
  }
  const filled = derived.planned.filter((p) => empty.has(p.name) && !skipped.has(p.name));
  if (filled.length === 0) return { tables: [], warnings };
  const pooled = new Map<string, { parentSql: string; columns: string[]; parent: string }>();
  const planned = filled.map((p): PlannedTable => {
    const t = byName.get(p.name)!;
    const outside = p.foreignKeys.filter((fk) => !filled.some((f) => f.name === fk.references.table));
    if (outside.length === 0) return p;
    const pools = new Map<string, PoolColumn>();
    for (const fk of outside) {
      const id = `${fk.references.table}\u0000${fk.references.columns.join("\u0000")}`;
      const parent = byName.get(fk.references.table);
      pooled.set(id, {
        parentSql: qualifiedName(fk.references.table, parent?.schema ?? o.generator.schemaName),
        columns: [...fk.references.columns],
        parent: fk.references.table,
      });
      for (const [c, column] of poolColumns(id, fk.columns)) pools.set(c, column);
    }
    const nullable = (c: string) => t.columns.find((x) => x.name === c)?.nullable !== false;
    return {
      ...p,
      rows: p.rows ?? o.rows,
      columns: p.columns.map((c) => {
        const pool = pools.get(c.name);
        if (pool) {
          const nullFraction = pool.members === 1 && nullable(c.name) ? 0.1 : 0;
          return { name: c.name, spec: { method: "reference", null_fraction: nullFraction }, pool };
        }
        // An ordinal counts children of a parent that is now a pool: count rows instead.
        if ((c.spec as { method: string }).method === "ordinal") {
          return { name: c.name, spec: { method: "unique_ids", kind: "sequential", start: 1 } };
        }
        return c;
      }),
      foreignKeys: p.foreignKeys.filter((fk) => !outside.includes(fk)).map((fk) => {
        const { per_parent: _p, one_to_one: _o, distinct: _d, ...rest } = fk;
        return outside.some((x) => x.per_parent || x.one_to_one) ? rest : fk;
      }),
    };
  });
  const compiled = compileTables(planned, { seed: o.seed, defaultRows: o.rows });
  // Pools are written into the image itself: the load's workers copy it.
  if (compiled.pools.size > 0) {
    const memory = sharedMemory(PROGRAM_BASE + compiled.image.length);
    new Uint8Array(memory.buffer).set(compiled.image, PROGRAM_BASE);
    for (const [id, lists] of compiled.pools) {
      const key = pooled.get(id)!;
      const pool = new KeyPool({ id, ...key }, memory, lists);
      await fillPool(query, pool, await tableRows(query, key.parentSql), 1);
      if (pool.size === 0) {
        warnings.push(`--fill: "${key.parent}" has no rows to reference; its keys are NULL`);
      }
    }
    compiled.image.set(new Uint8Array(memory.buffer, PROGRAM_BASE, compiled.image.length));
  }
  const report = await loadData(compiled, {
    db: o.db,
    ...(o.pglite ? { pglite: o.pglite } : {}),
    connections: o.connections ?? 2,
    create: false,
    schema: copy,
    tables: compiled.tables.map((t) => t.name),
    ...(o.signal ? { signal: o.signal } : {}),
  });
  return { tables: report.tables, warnings };
}
