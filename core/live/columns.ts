/**
 * How live facts (`core/live/facts.ts`) steer a column's generated values,
 * applied where a schema is resolved for the VM (`core/compile/columns.ts`):
 *
 * - a column with a list of `values` (a foreign key's existing parent keys,
 *   existing values of a column a CHECK or the partitioning reads) draws
 *   from that list: the VM's sample-literal type, whose literals the server
 *   wrote;
 * - an identity or serial column is left to its DEFAULT: never assigned, so
 *   its sequence hands out the next key;
 * - any other integer or numeric key column with a known maximum draws above
 *   it, so a new row's key is new.
 *
 * Either kind of key with a known maximum is `fresh`: its literals lie above
 * the rows the database held (a sequence's next keys, just above its
 * maximum), so `key >= literal` matches only rows the traffic itself made.
 * Grammars guard DELETEs and UPDATEs with it (`liveKey` column filter), so
 * the rows whose keys the facts sampled stay.
 *
 * Nothing else changes: the column's class, nullability and attributes stay
 * as declared, so a grammar picks the same columns with or without facts.
 *
 * @module
 */
import type { Column, Table } from "../schema/model.ts";
import type { ColumnType } from "../schema/types.ts";
import * as op from "../../wasm/opcodes.ts";

/** A column as the live database asks it to be generated. */
export interface LiveColumn {
  column: Column;
  type: ColumnType;
  /** Filled by a sequence (identity, serial): left to DEFAULT. */
  sequenced: boolean;
  /** Its literals lie above every value the live table held. */
  fresh: boolean;
  /** Its literals are values the live database held. */
  sampled: boolean;
}

/** How far above the current maximum new keys are drawn. */
const KEY_SPAN = 1_000_000_000;

/** How far above a sequenced key's maximum its literals go: about the keys a run's INSERTs take. */
const SEQUENCE_SPAN = 5_000;

const INT_MAX: Record<number, number> = {
  [op.T_INT2]: 32767,
  [op.T_INT4]: 2147483647,
  [op.T_INT8]: Number.MAX_SAFE_INTEGER,
};

/** Whether a column's values come from a sequence: an identity column, or a `nextval(…)` default. */
export const isSequenced = (column: Column): boolean =>
  column.identity !== undefined || /^nextval\(/i.test(column.default ?? "");

/** The largest whole number a numeric column of this type can hold, within exact doubles. */
function typeMax(type: ColumnType): number | undefined {
  if (type.code in INT_MAX) return INT_MAX[type.code];
  if (type.code === op.T_NUMERIC) {
    const digits = type.length === 0 ? 15 : Math.min(15, type.length - type.scale);
    return digits > 0 ? 10 ** digits - 1 : undefined;
  }
  return undefined;
}

/**
 * The column as `table.live` asks for, or as declared when the table has no
 * facts about it.
 *
 * @example A foreign key draws existing parent keys; a serial key is left to its DEFAULT
 * ```ts
 * import { liveColumn } from "./columns.ts";
 * import { columnType } from "../schema/types.ts";
 * import type { ColumnType } from "../schema/types.ts";
 * import type { Table } from "../schema/model.ts";
 * const table: Table = {
 *   name: "orders",
 *   columns: [{ name: "id", type: "integer", default: "nextval('orders_id_seq'::regclass)" }, {
 *     name: "customer_id",
 *     type: "integer",
 *   }],
 *   primaryKey: ["id"],
 *   live: { rows: 10, max: { id: "10" }, values: { customer_id: ["'3'::integer"] } },
 * };
 * const schema = { types: [] };
 * const fk = liveColumn(table, table.columns[1]!, columnType(schema, "integer") as ColumnType);
 * if (fk.type.samples?.[0] !== "'3'::integer") throw new Error();
 * if (!liveColumn(table, table.columns[0]!, columnType(schema, "integer") as ColumnType).sequenced) throw new Error();
 * ```
 */
export function liveColumn(table: Table, column: Column, type: ColumnType): LiveColumn {
  const live = table.live;
  if (!live) return { column, type, sequenced: false, fresh: false, sampled: false };
  const values = live.values?.[column.name];
  if (values !== undefined) {
    // Only NULL satisfies a key whose parent is empty; a NOT NULL column keeps its own values.
    const samples = values.length > 0 ? values : (column.nullable ?? true) ? ["NULL"] : undefined;
    if (samples) {
      const { range: _c, ...rest } = column;
      const { range: _t, ...base } = type;
      return {
        column: rest,
        type: { ...base, code: op.T_SQL, samples },
        sequenced: false,
        fresh: false,
        sampled: true,
      };
    }
  }
  const max = live.max?.[column.name];
  const sequenced = isSequenced(column);
  const ceiling = live.ceiling?.[column.name];
  const limit = ceiling === undefined ? typeMax(type) : Math.min(typeMax(type) ?? Infinity, Number(ceiling));
  if (max !== undefined && limit !== undefined) {
    const lo = Math.floor(Number(max)) + 1;
    if (Number.isSafeInteger(lo) && lo < limit) {
      const hi = Math.min(limit, lo + (sequenced ? SEQUENCE_SPAN : KEY_SPAN));
      return { column: { ...column, range: [lo, hi] }, type, sequenced, fresh: true, sampled: false };
    }
  }
  return { column, type, sequenced, fresh: false, sampled: false };
}
