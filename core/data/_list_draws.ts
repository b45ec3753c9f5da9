/**
 * Column draws over value lists that compile.ts writes itself: a tuples
 * column and its members (one pick, several columns), and pool columns over
 * live lists of existing keys (core/values/live_list.ts).
 *
 * @module
 */
import * as v from "../../wasm/value_ops.ts";
import type { ImageBuilder } from "../values/image.ts";
import { writeList } from "../values/ops.ts";
import { type LiveListAddress, writeLiveList } from "../values/live_list.ts";
import { type ColumnDraw, listValues, maxLength } from "./columns.ts";
import type { ColumnSpec } from "./spec.ts";
import type { PoolColumn } from "./compile.ts";

/** A pool column's draw: member 0 picks an entry of the live list, the others take that entry's member. */
export function poolDraw(
  image: ImageBuilder,
  pools: Map<string, LiveListAddress[]>,
  pool: PoolColumn,
): ColumnDraw {
  let lists = pools.get(pool.id);
  if (!lists) {
    lists = Array.from({ length: pool.members }, () => writeLiveList(image, pool.capacity, pool.slotBytes));
    pools.set(pool.id, lists);
  }
  const list = lists[pool.member]!.list;
  const common = { sqlType: "text", kind: v.K_TEXT, maxBytes: pool.slotBytes };
  return pool.member === 0
    ? { ...common, code: v.V_TUPLE, reads: [], args: () => [list] }
    : { ...common, code: v.V_MEMBER, reads: [pool.first], args: (regOf) => [regOf(pool.first), list] };
}

/** A tuples column (member 0: picks the tuple) or one of its members (reads the pick). */
export function tupleDraw(
  image: ImageBuilder,
  spec: Extract<ColumnSpec, { method: "tuples" }>,
  tuple: { column: string; index: number },
): ColumnDraw {
  const members = spec.values.map((t) => t.tuple[tuple.index] ?? null);
  const l = listValues(members);
  if (tuple.index === 0) {
    const list = writeList(image, l.values, { weights: spec.values.map((t) => t.weight ?? 1), raw: l.raw });
    return {
      code: v.V_TUPLE,
      reads: [],
      args: () => [list],
      sqlType: l.sqlType,
      kind: v.K_TEXT,
      maxBytes: maxLength(l.values),
      values: l.values,
    };
  }
  const list = writeList(image, l.values, { raw: l.raw });
  return {
    code: v.V_MEMBER,
    reads: [tuple.column],
    args: (regOf) => [regOf(tuple.column), list],
    sqlType: l.sqlType,
    kind: v.K_TEXT,
    maxBytes: maxLength(l.values),
    // Its choice is the tuple's index, and entry i is tuple i's member: another column can correlate on it.
    values: l.values,
  };
}
