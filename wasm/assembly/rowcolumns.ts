// Column batches (F_COLUMNS): rows evaluated as for the text formats, but
// each output entry's values stored in its own Arrow-layout region, so the
// host hands them to a columnar writer (Parquet) without touching a row.

import { evalRow } from "./values";
import { advance, cursorAt, locate, regAt, valueError } from "./values";
import {
  BK_BOOL,
  BK_DATE,
  BK_DECIMAL,
  BK_FLOAT64,
  BK_INT16,
  BK_INT32,
  BK_INT64,
  BK_TIMESTAMP,
  BK_UTF8,
  BK_UUID,
  K_BOOL,
  K_DATE,
  K_DEC,
  K_NULL,
  K_TEXT,
  K_TS,
  K_UUID,
  OUT_WORDS,
  RT_DRIVE,
  RT_OUT,
  RT_OUT_COUNT,
} from "./value_ops";

export let columnsError: i32 = 0;
export let columnsErrorIndex: u64 = 0;

function width(kind: i32): usize {
  if (kind == BK_BOOL) return 1;
  if (kind == BK_INT16) return 2;
  if (kind == BK_INT32 || kind == BK_DATE) return 4;
  if (kind == BK_UUID) return 16;
  if (kind == BK_UTF8) return 4; // its offsets
  return 8;
}

// @ts-ignore: decorator
@inline function align8(n: usize): usize {
  return (n + 7) & ~(<usize> 7);
}

/** Bytes one more row takes in a chunk (offsets, values, validity bits rounded up). */
function rowBytes(entries: usize, n: i32): usize {
  let b: usize = 0;
  for (let i = 0; i < n; i++) {
    const e = entries + <usize> (i * OUT_WORDS) * 4;
    const kind = load<i32>(e, 24);
    b += width(kind) + 1;
    if (kind == BK_UTF8) b += <usize> load<i32>(e, 28);
  }
  return b;
}

function pow10(scale: i32): f64 {
  let d = 1.0;
  for (let i = 0; i < scale; i++) d *= 10.0;
  return d;
}

/**
 * Writes rows [first, first + count) of `table` as one column-batch chunk
 * of at most `cap` bytes at `buf`; returns the rows it holds (the chunk's
 * length is returned through `chunkLength`).
 */
export let chunkLength: u32 = 0;

export function expandColumns(table: usize, first: u64, count: u32, buf: usize, cap: u32): u32 {
  const entries = <usize> load<i32>(table, RT_OUT << 2);
  const n = load<i32>(table, RT_OUT_COUNT << 2);
  const header = align8(<usize> (4 + n * 16));
  const per = rowBytes(entries, n);
  // Regions are 8-aligned: allow 8 + 8 slack bytes per column for that.
  const slack = <usize> n * 24 + 64;
  let rows = <usize> count;
  if (header + slack + rows * per > <usize> cap) rows = (<usize> cap - header - slack) / per;
  columnsError = 0;
  // Lay out the regions.
  let at = header;
  for (let i = 0; i < n; i++) {
    const e = entries + <usize> (i * OUT_WORDS) * 4;
    const kind = load<i32>(e, 24);
    const h = buf + 4 + <usize> i * 16;
    if (kind == BK_UTF8) {
      store<u32>(h, <u32> at, 4); // offsets
      at = align8(at + (rows + 1) * 4);
      store<u32>(h, <u32> at); // data
      at = align8(at + rows * <usize> load<i32>(e, 28));
    } else {
      store<u32>(h, <u32> at);
      store<u32>(h, 0, 4);
      at = align8(at + rows * width(kind));
    }
    store<u32>(h, <u32> at, 8); // validity
    at = align8(at + (rows + 7) / 8);
    memory.fill(buf + <usize> load<u32>(h, 8), 0, (rows + 7) / 8);
    store<u32>(h, 0, 12); // data bytes so far (utf8)
    if (kind == BK_UTF8) store<u32>(buf + <usize> load<u32>(h, 4), 0);
  }
  store<u32>(buf, <u32> rows);
  const driven = load<i32>(table, RT_DRIVE << 2) != 0;
  const cursor = cursorAt(0);
  if (driven && rows > 0) locate(table, first, cursor);
  let r: usize = 0;
  while (r < rows) {
    const row = first + <u64> r;
    evalRow(table, row);
    if (valueError != 0) {
      columnsError = valueError;
      columnsErrorIndex = row;
      break;
    }
    for (let i = 0; i < n; i++) {
      const e = entries + <usize> (i * OUT_WORDS) * 4;
      putColumnValue(buf, buf + 4 + <usize> i * 16, load<i32>(e, 24), regAt(0, load<i32>(e)), r);
    }
    if (driven) advance(table, cursor);
    r++;
  }
  store<u32>(buf, <u32> r);
  chunkLength = <u32> at;
  return <u32> r;
}

function putColumnValue(buf: usize, h: usize, kind: i32, reg: usize, r: usize): void {
  const rk = load<i32>(reg);
  const values = buf + <usize> load<u32>(h);
  if (kind == BK_UTF8) {
    const offsets = buf + <usize> load<u32>(h, 4);
    let used = load<u32>(h, 12);
    if (rk == K_TEXT) {
      const len = load<u32>(reg, 12);
      memory.copy(values + <usize> used, <usize> load<u32>(reg, 8), <usize> len);
      used += len;
    }
    store<u32>(h, used, 12);
    store<u32>(offsets + ((r + 1) << 2), used);
  }
  if (rk == K_NULL) return;
  const validity = buf + <usize> load<u32>(h, 8) + (r >> 3);
  store<u8>(validity, load<u8>(validity) | <u8> ((<u32> 1) << <u32> (r & 7)));
  const v = load<i64>(reg, 8);
  switch (kind) {
    case BK_BOOL:
      store<u8>(values + r, rk == K_BOOL ? <u8> v : 0);
      break;
    case BK_INT16:
      store<i16>(values + (r << 1), <i16> v);
      break;
    case BK_INT32:
      store<i32>(values + (r << 2), <i32> v);
      break;
    case BK_DATE:
      store<i32>(values + (r << 2), <i32> (rk == K_TS ? v / 86400 : v));
      break;
    case BK_INT64:
    case BK_DECIMAL:
      store<i64>(values + (r << 3), v);
      break;
    case BK_TIMESTAMP:
      store<i64>(values + (r << 3), (rk == K_DATE ? v * 86400 : v) * 1000000);
      break;
    case BK_FLOAT64:
      store<f64>(values + (r << 3), rk == K_DEC ? <f64> v / pow10(load<i32>(reg, 4)) : <f64> v);
      break;
    case BK_UUID:
      if (rk == K_UUID) {
        store<u64>(values + (r << 4), bswap<u64>(<u64> v));
        store<u64>(values + (r << 4) + 8, bswap<u64>(load<u64>(reg, 16)));
      }
      break;
  }
}
