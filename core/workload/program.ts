/**
 * A workload's transactions made runnable: the parameters of every
 * transaction kind become one table of a data spec (one column per
 * parameter), compiled into one kernel image, so each execution's values
 * are the kernel's row `n` of its kind, written straight into Bind
 * parameter sections (F_BIND). Statements are rewritten from `:name` to
 * `$n`, numbered in the order the kernel writes the values, and each gets
 * the mask of the entries it binds. Nothing in TypeScript formats a value.
 *
 * @module
 */
import { type CompiledTable, compileTables, type PlannedTable, plannedTables } from "../data/compile.ts";
import { normalizeSpec } from "../data/normalize_spec.ts";
import type { ColumnSpec } from "../data/spec.ts";
import { RowWriter } from "../engine/row_writer.ts";
import type { BoundStatement } from "../exec/targets.ts";
import { LiveList } from "../values/live_list.ts";
import type { Seed } from "../seed.ts";
import { isExisting, numberParameters, type ParamSpec, type TransactionSpec } from "./definition.ts";

/** Keys a live-key pool holds; a bigger table is sampled. */
export const EXISTING_CAPACITY = 1024;
/** Bytes of one key's text in a pool; longer keys are left out. */
export const EXISTING_SLOT_BYTES = 128;

/** The keys of one table column that `existing` parameters draw from, in the kernel's memory. */
export interface ExistingKeys {
  table: string;
  column: string;
  refreshS: number;
  list: LiveList;
}

/** Rows each kind's parameter table is compiled for: executions beyond it wrap around. */
const PARAM_ROWS = 1e12;

/** One statement of a transaction kind. */
export interface ProgramStatement {
  /** Prepared statement name, unique in the workload. */
  name: string;
  /** The SQL with `$n` parameters. */
  text: string;
  /** Output entries of the kind's table this statement binds, as a mask (bit i = entry i). */
  mask: bigint;
  /** Parameters it binds, in `$n` order. */
  params: string[];
}

/** One transaction kind, ready to run. */
export interface ProgramTransaction {
  name: string;
  weight: number;
  thinkMs: number;
  statements: ProgramStatement[];
  /** The parameter table, or undefined when no statement takes parameters. */
  table: CompiledTable | undefined;
}

/** Every transaction kind of a workload, and the kernel that writes their parameters. */
export class WorkloadProgram {
  readonly transactions: ProgramTransaction[];
  /** The live-key pools, one per table and column, to fill and refresh (`refreshExisting`). */
  readonly existing: ExistingKeys[] = [];
  readonly #writer: RowWriter | undefined;

  constructor(
    transactions: readonly TransactionSpec[],
    params: readonly Record<string, ParamSpec>[],
    seed: Seed,
  ) {
    const withParams = transactions.map((t, i) => ({ t, p: params[i]!, table: `p${i}` }))
      .filter((x) => Object.keys(x.p).length > 0);
    let tables: CompiledTable[] = [];
    if (withParams.length > 0) {
      const values = (p: Record<string, ParamSpec>) =>
        Object.fromEntries(Object.entries(p).filter(([, x]) => !isExisting(x))) as Record<string, ColumnSpec>;
      const drawn = withParams.filter((x) => Object.keys(values(x.p)).length > 0);
      const normalized = drawn.length > 0
        ? normalizeSpec({
          tables: Object.fromEntries(drawn.map((x) => [x.table, { rows: PARAM_ROWS, columns: values(x.p) }])),
        })
        : undefined;
      const planned = normalized ? plannedTables(normalized, PARAM_ROWS) : [];
      const pools = new Map<string, { table: string; column: string; refreshS: number }>();
      // Live keys are pool columns: the kernel picks an entry of a list this program keeps filled.
      for (const x of withParams) {
        let table: PlannedTable | undefined = planned.find((p) => p.name === x.table);
        for (const [name, spec] of Object.entries(x.p)) {
          if (!isExisting(spec)) continue;
          const id = `${spec.table}\u0000${spec.column}`;
          pools.set(id, { table: spec.table, column: spec.column, refreshS: spec.refresh_s ?? 5 });
          if (!table) {
            table = { name: x.table, rows: PARAM_ROWS, columns: [], foreignKeys: [] };
            planned.push(table);
          }
          table.columns.push({
            name,
            spec: { method: "reference" },
            pool: {
              id,
              member: 0,
              members: 1,
              first: name,
              capacity: EXISTING_CAPACITY,
              slotBytes: EXISTING_SLOT_BYTES,
            },
          });
        }
      }
      const compiled = compileTables(planned, { ...(normalized ? { locale: normalized.locale } : {}), seed });
      tables = compiled.tables;
      this.#writer = new RowWriter(compiled.image, seed);
      for (const [id, p] of pools) {
        const at = compiled.pools.get(id)?.[0];
        if (at) this.existing.push({ ...p, list: new LiveList(this.#writer.memory, at) });
      }
    }
    this.transactions = transactions.map((t, i) => {
      const table = tables.find((x) => x.name === `p${i}`);
      const order = table?.columns.map((c) => c.name) ?? [];
      const statements = t.sql.map((sql, k) => {
        const { text, names } = numberParameters(sql, order);
        let mask = 0n;
        for (const n of names) mask |= 1n << BigInt(order.indexOf(n));
        return { name: `qw_${i}_${k}`, text, mask, params: names };
      });
      return { name: t.name, weight: t.weight, thinkMs: t.think_ms ?? 0, statements, table };
    });
  }

  /**
   * The statements of execution `n` of kind `kind`, with their parameters
   * (copied: each statement owns its bytes).
   */
  bind(kind: number, n: bigint): BoundStatement[] {
    const t = this.transactions[kind]!;
    const row = n % BigInt(PARAM_ROWS);
    return t.statements.map((s) => {
      if (!t.table || s.params.length === 0) {
        return { name: s.name, text: s.text, params: new Uint8Array(0), count: 0 };
      }
      const params = this.#writer!.bytes(t.table, "bind", row, 1, s.mask).slice();
      return { name: s.name, text: s.text, params, count: s.params.length };
    });
  }
}
