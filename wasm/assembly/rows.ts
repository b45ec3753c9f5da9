// The row loop: `expandRows` writes rows [first, first + count) of one
// table's row program into a buffer, as `expand` does for statements. Row i
// depends only on (program, seed, i), so workers may split a table anywhere.

import { out, setCursor } from "./emit";
import { advance, cursorAt, evalRow, fillPrefix, locate, setValueScratch, valueError } from "./values";
import { putRow } from "./rowformat";
import { F_COLUMNS, RT_DRIVE, RT_FORMAT } from "./value_ops";
import { chunkLength, columnsError, columnsErrorIndex, expandColumns } from "./rowcolumns";
import { SCR_ARENA, SCR_ARENA_END, SCR_VALUE_CURSORS, SCR_VALUE_REGS } from "./layout";

let table: usize = 0;

export let rowsLength: u32 = 0;
export let rowsError: i32 = 0;
export let rowsErrorIndex: u64 = 0;

/** Points this instance at a table's row program and its worker scratch. */
export function initRows(tableAddr: usize, scratch: usize): void {
  table = tableAddr;
  setValueScratch(scratch + SCR_VALUE_REGS, scratch + SCR_VALUE_CURSORS, scratch + SCR_ARENA, scratch + SCR_ARENA_END);
}

/**
 * Writes rows [first, first + count) while a row of `maxRow` bytes still
 * fits in `cap`; returns how many were written (rowsLength bytes).
 */
export function expandRows(first: u64, count: u32, buf: usize, cap: u32, maxRow: u32): u32 {
  if (load<i32>(table, RT_FORMAT << 2) == F_COLUMNS) {
    const rows = expandColumns(table, first, count, buf, cap);
    rowsLength = chunkLength;
    rowsError = columnsError;
    rowsErrorIndex = columnsErrorIndex;
    return rows;
  }
  const end = buf + <usize> cap;
  const room = <usize> maxRow;
  const driven = load<i32>(table, RT_DRIVE << 2) != 0;
  const cursor = cursorAt(0);
  setCursor(buf, end);
  rowsError = 0;
  let n: u32 = 0;
  if (driven && count > 0) locate(table, first, cursor);
  while (n < count && out + room <= end) {
    const row = first + <u64> n;
    evalRow(table, row);
    if (valueError != 0) {
      rowsError = valueError;
      rowsErrorIndex = row;
      break;
    }
    putRow(table, row);
    if (driven) advance(table, cursor);
    n++;
  }
  rowsLength = <u32> (out - buf);
  return n;
}

/** Fills the per_parent prefix counts of a table; returns its row count. */
export function countRows(tableAddr: usize): u64 {
  return fillPrefix(tableAddr);
}
