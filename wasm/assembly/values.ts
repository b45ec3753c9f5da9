// The value model: evaluates a table's value ops (value_ops.ts) for one row
// into a bank of registers. Text a value composes (ids with prefixes,
// patterns, full names, emails) is written to the row arena; text from lists
// stays where it is and the register points at it.

import { below, below32, next, permute, seedValue } from "./rng";
import { out, outLimit, putByte, putBytes, putHex, putPadded, putU64, setCursor } from "./emit";
import { drawFloat, drawInt, pickAlias, unit } from "./distributions";
import { evaluate, resultAt } from "./expression";
import {
  K_DATE,
  K_DEC,
  K_INT,
  K_NULL,
  K_TEXT,
  K_TS,
  K_UUID,
  K_BOOL,
  OP_ARGS,
  P_ALT,
  P_CLASS,
  P_LIT,
  P_REPEAT,
  P_SEQ,
  REG_BYTES,
  RM_DISTINCT,
  RM_DRAW,
  RM_DRIVE,
  RM_ONE,
  RM_SELF,
  RM_WINDOW,
  RT_DRIVE,
  RT_KEY,
  RT_OPS,
  RT_OP_COUNT,
  RT_PARENT_ROWS,
  RT_PREFIX,
  RT_ROWS,
  PREFIX_BLOCK,
  V_AFTER,
  V_BOOL,
  V_CORRELATED,
  V_DEC,
  V_DERIVED,
  V_EMAIL,
  V_FULL_NAME,
  V_HASH,
  V_INT,
  V_IPV4,
  V_IPV6,
  V_MEMBER,
  V_NULL,
  V_NOW,
  V_ORDINAL,
  V_PATTERN,
  V_PICK,
  V_REFERENCE,
  V_SEQUENCE,
  V_TEMPORAL,
  V_TUPLE,
  V_UUID4,
  V_UUID7,
  ERR_BAD_VALUE_OP,
  ERR_REFERENCE_DEPTH,
} from "./value_ops";

/** Register banks: depth 0 is the row itself, deeper ones recompute parents' keys. */
export const REG_BANKS: i32 = 4;
export const MAX_REGS: i32 = 128;
const BANK_BYTES: usize = <usize> (MAX_REGS * REG_BYTES);
const CURSOR_BYTES: usize = 32;

let banks: usize = 0;
let cursors: usize = 0;
let arenaBase: usize = 0;
let arenaEnd: usize = 0;
let arena: usize = 0;
export let valueError: i32 = 0;
let clockMs: i64 = 0;

/** Sets the clock V_NOW reads (streaming stamps rows with the time they are released). */
export function setClock(ms: i64): void {
  clockMs = ms;
}

/** Places the register banks, cursors and row arena in this worker's scratch. */
export function setValueScratch(regs: usize, cursorArea: usize, arenaFrom: usize, arenaTo: usize): void {
  banks = regs;
  cursors = cursorArea;
  arenaBase = arenaFrom;
  arenaEnd = arenaTo;
}

// @ts-ignore: decorator
@inline export function regAt(depth: i32, r: i32): usize {
  return banks + <usize> depth * BANK_BYTES + (<usize> r << 5);
}

// @ts-ignore: decorator
@inline export function cursorAt(depth: i32): usize {
  return cursors + <usize> depth * CURSOR_BYTES;
}

// @ts-ignore: decorator
@inline function arg(op: usize, n: i32): usize {
  return op + (<usize> (OP_ARGS + n) << 2);
}

// @ts-ignore: decorator
@inline function argI(op: usize, n: i32): i32 {
  return load<i32>(arg(op, n));
}

// @ts-ignore: decorator
@inline function setKind(reg: usize, kind: i32, v: i64): void {
  store<i32>(reg, kind);
  store<i32>(reg, 0, 4);
  store<i64>(reg, v, 8);
}

// @ts-ignore: decorator
@inline function setText(reg: usize, at: usize, len: usize, raw: i32): void {
  store<i32>(reg, K_TEXT);
  store<i32>(reg, raw, 4);
  store<u32>(reg, <u32> at, 8);
  store<u32>(reg, <u32> len, 12);
}

/** Starts a new row: the arena is reused from its base. */
export function resetArena(): void {
  arena = arenaBase;
}

// Composed text: the output cursor is pointed at the arena while a value is
// written, so the same emitters serve both.
let savedOut: usize = 0;
let savedLimit: usize = 0;

function beginText(): usize {
  savedOut = out;
  savedLimit = outLimit;
  setCursor(arena, arenaEnd);
  return arena;
}

function endText(reg: usize, start: usize, raw: i32): void {
  const len = out - start;
  arena = (out + 15) & ~(<usize> 7);
  setCursor(savedOut, savedLimit);
  setText(reg, start, len, raw);
}

// A value list: alias table address (0 = uniform), n, raw, base, n x (address,
// length). A register's choice is base + i: a correlated column's lists are
// slices of one list of all its values, so another column can read its choice.
// @ts-ignore: decorator
@inline function listEntry(list: usize, i: i32): usize {
  return list + 16 + (<usize> i << 3);
}

function pickFrom(list: usize, reg: usize): void {
  const alias = <usize> load<i32>(list);
  const i = alias != 0 ? pickAlias(alias) : <i32> below32(load<u32>(list, 4));
  takeEntry(list, i, reg);
}

function takeEntry(list: usize, i: i32, reg: usize): void {
  const e = listEntry(list, i);
  const len = load<u32>(e, 4);
  // A NULL among the values is an entry of length 2^32 - 1.
  if (len == 0xffffffff) setKind(reg, K_NULL, 0);
  else setText(reg, <usize> load<u32>(e), <usize> len, load<i32>(list, 8));
  store<i32>(reg, load<i32>(list, 12) + i, 24);
}

/** Uniform entry of a list without an alias table (vocabularies). */
// @ts-ignore: decorator
@inline function vocabIndex(list: usize): i32 {
  return <i32> below32(load<u32>(list, 4));
}

function putEntry(list: usize, i: i32): void {
  const e = listEntry(list, i);
  putBytes(<usize> load<u32>(e), <usize> load<u32>(e, 4));
}

/** A permutation of [0, n) on `bits` bits, by cycle walking. */
function permuteBelow(row: u64, bits: u32, n: u64, key: u64): u64 {
  let x = permute(row, bits, key);
  while (x >= n) x = permute(x, bits, key);
  return x;
}

function putPattern(p: usize): usize {
  const code = load<i32>(p);
  if (code == P_LIT) {
    putBytes(<usize> load<u32>(p, 4), <usize> load<u32>(p, 8));
    return p + 12;
  }
  if (code == P_CLASS) {
    const at = <usize> load<u32>(p, 4);
    putByte(load<u8>(at + <usize> below32(load<u32>(p, 8))));
    return p + 12;
  }
  if (code == P_SEQ) {
    const n = load<i32>(p, 4);
    let q = p + 8;
    for (let i = 0; i < n; i++) q = putPattern(q);
    return q;
  }
  if (code == P_ALT) {
    // n, then n x (byte offset of the option from p), then the end offset.
    const n = load<u32>(p, 4);
    const pick = below32(n);
    putPattern(p + <usize> load<u32>(p + 8 + (<usize> pick << 2)));
    return p + <usize> load<u32>(p + 8 + (<usize> n << 2));
  }
  // P_REPEAT min max, body, then the end.
  const min = load<u32>(p, 4);
  const times = min + below32(load<u32>(p, 8) - min + 1);
  let end = p + 12;
  for (let i: u32 = 0; i < times; i++) end = putPattern(p + 12);
  if (times == 0) end = skipPattern(p + 12);
  return end;
}

/** The address after a pattern node, without emitting it. */
function skipPattern(p: usize): usize {
  const code = load<i32>(p);
  if (code == P_LIT || code == P_CLASS) return p + 12;
  if (code == P_SEQ) {
    const n = load<i32>(p, 4);
    let q = p + 8;
    for (let i = 0; i < n; i++) q = skipPattern(q);
    return q;
  }
  if (code == P_ALT) return p + <usize> load<u32>(p + 8 + (<usize> load<u32>(p, 4) << 2));
  return skipPattern(p + 12);
}

const POW10: f64[] = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

/** Children of parent `p` under a table's per_parent foreign key. */
export function childCount(table: usize, p: u64): u64 {
  const op = <usize> load<i32>(table, RT_DRIVE << 2);
  seedValue(load<u64>(table, RT_KEY << 2), p, load<u32>(op, 12) ^ 0x5bd1e995);
  return <u64> drawInt(<usize> argI(op, 4), load<i64>(arg(op, 5)), load<u64>(arg(op, 7)));
}

/** Fills a per_parent table's prefix counts; returns its rows. */
export function fillPrefix(table: usize): u64 {
  const prefix = <usize> load<i32>(table, RT_PREFIX << 2);
  const parents = load<u64>(table, RT_PARENT_ROWS << 2);
  let total: u64 = 0;
  for (let p: u64 = 0; p < parents; p++) {
    if (p % <u64> PREFIX_BLOCK == 0) store<u64>(prefix + <usize> (p / <u64> PREFIX_BLOCK) * 8, total);
    total += childCount(table, p);
  }
  return total;
}

/** Sets `cursor` to the parent and ordinal of a per_parent table's row. */
export function locate(table: usize, row: u64, cursor: usize): void {
  const prefix = <usize> load<i32>(table, RT_PREFIX << 2);
  const parents = load<u64>(table, RT_PARENT_ROWS << 2);
  const blocks = (parents + <u64> PREFIX_BLOCK - 1) / <u64> PREFIX_BLOCK;
  let lo: u64 = 0, hi: u64 = blocks - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (load<u64>(prefix + <usize> mid * 8) <= row) lo = mid;
    else hi = mid - 1;
  }
  let acc = load<u64>(prefix + <usize> lo * 8);
  for (let p = lo * <u64> PREFIX_BLOCK; p < parents; p++) {
    const c = childCount(table, p);
    if (row < acc + c) {
      store<u64>(cursor, p);
      store<u64>(cursor, row - acc, 8);
      store<u64>(cursor, c, 16);
      return;
    }
    acc += c;
  }
  store<u64>(cursor, parents);
  store<u64>(cursor, 0, 8);
  store<u64>(cursor, 0, 16);
}

/** Moves a main-loop cursor to the next row of its table. */
export function advance(table: usize, cursor: usize): void {
  const k = load<u64>(cursor, 8) + 1;
  if (k < load<u64>(cursor, 16)) {
    store<u64>(cursor, k, 8);
    return;
  }
  const parents = load<u64>(table, RT_PARENT_ROWS << 2);
  let p = load<u64>(cursor);
  let c: u64 = 0;
  do {
    p++;
    c = p < parents ? childCount(table, p) : 1;
  } while (c == 0);
  store<u64>(cursor, p);
  store<u64>(cursor, 0, 8);
  store<u64>(cursor, c, 16);
}

/** The parent row a reference op picks for `row`, or -1 for NULL. */
function parentRow(table: usize, op: usize, row: u64, depth: i32): i64 {
  const mode = argI(op, 0);
  const parent = <usize> argI(op, 1);
  const parents = load<u64>(parent, RT_ROWS << 2);
  if (mode == RM_DRIVE) return <i64> load<u64>(cursorAt(depth));
  if (mode == RM_ONE) return <i64> row;
  if (parents == 0) return -1;
  if (mode == RM_DRAW) return drawInt(<usize> argI(op, 2), 0, parents - 1);
  if (mode == RM_SELF) return row == 0 ? -1 : <i64> below(row);
  if (mode == RM_WINDOW) {
    const rows = load<u64>(table, RT_ROWS << 2);
    let center = <u64> Math.floor(<f64> row * <f64> parents / <f64> (rows == 0 ? <u64> 1 : rows));
    if (center >= parents) center = parents - 1;
    const w = <u64> argI(op, 3);
    const from = center + 1 > w ? center + 1 - w : 0;
    return <i64> (from + below(center - from + 1));
  }
  // RM_DISTINCT: a start and a stride coprime with the parent count, fixed
  // per driving parent, walk distinct parents as the ordinal grows.
  const cursor = cursorAt(depth);
  seedValue(load<u64>(table, RT_KEY << 2), load<u64>(cursor), load<u32>(op, 12));
  const start = below(parents);
  let stride = parents == 1 ? 1 : 1 + below(parents - 1);
  while (gcd(stride, parents) != 1) stride = stride + 1 >= parents ? 1 : stride + 1;
  const k = load<u64>(cursor, 8);
  // Parent tables of a link stay below 2^32 rows (checked when compiled), so the product fits.
  return <i64> ((start + (k % parents) * stride % parents) % parents);
}

function gcd(a: u64, b: u64): u64 {
  while (b != 0) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/**
 * A reference op: picks a parent row, recomputes the parent's key ops for it
 * one bank deeper, and copies the key registers into this op's registers.
 */
function reference(table: usize, op: usize, row: u64, depth: i32, reg: i32): void {
  const j = parentRow(table, op, row, depth);
  const nOps = argI(op, 9);
  const keyCount = argI(op, 10 + nOps);
  if (j < 0) {
    for (let i = 0; i < keyCount; i++) setKind(regAt(depth, reg + i), K_NULL, 0);
    return;
  }
  if (depth + 1 >= REG_BANKS) {
    valueError = ERR_REFERENCE_DEPTH;
    return;
  }
  const parent = <usize> argI(op, 1);
  if (load<i32>(parent, RT_DRIVE << 2) != 0) locate(parent, <u64> j, cursorAt(depth + 1));
  for (let i = 0; i < nOps; i++) evalOp(parent, <usize> argI(op, 10 + i), <u64> j, depth + 1);
  for (let i = 0; i < keyCount; i++) {
    const src = regAt(depth + 1, argI(op, 11 + nOps + i));
    const dst = regAt(depth, reg + i);
    store<u64>(dst, load<u64>(src));
    store<u64>(dst, load<u64>(src, 8), 8);
    store<u64>(dst, load<u64>(src, 16), 16);
    store<u64>(dst, load<u64>(src, 24), 24);
  }
}

/** Evaluates one value op of `table` for `row` into bank `depth`. */
export function evalOp(table: usize, op: usize, row: u64, depth: i32): void {
  const code = load<i32>(op);
  const r = load<i32>(op, 4);
  const reg = regAt(depth, r);
  const tableKey = load<u64>(table, RT_KEY << 2);
  seedValue(tableKey, row, load<u32>(op, 12));
  const nullBelow = load<u32>(op, 8);
  if (nullBelow != 0 && <u32> (next() >> 32) < nullBelow) {
    if (code == V_REFERENCE) {
      const keyCount = argI(op, 10 + argI(op, 9));
      for (let i = 0; i < keyCount; i++) setKind(regAt(depth, r + i), K_NULL, 0);
    } else {
      setKind(reg, K_NULL, 0);
    }
    return;
  }
  switch (code) {
    case V_INT:
      setKind(reg, K_INT, drawInt(<usize> argI(op, 4), load<i64>(arg(op, 0)), load<u64>(arg(op, 2))));
      break;
    case V_DEC: {
      const scale = argI(op, 4);
      const x = drawFloat(<usize> argI(op, 5), load<f64>(arg(op, 0)), load<f64>(arg(op, 2)));
      setKind(reg, K_DEC, <i64> Math.round(x * POW10[scale]));
      store<i32>(reg, scale, 4);
      break;
    }
    case V_BOOL:
      setKind(reg, K_BOOL, <u32> (next() >> 32) < load<u32>(arg(op, 0)) ? 1 : 0);
      break;
    case V_NULL:
      setKind(reg, K_NULL, 0);
      break;
    case V_PICK:
    case V_TUPLE:
      pickFrom(<usize> argI(op, 0), reg);
      break;
    case V_CORRELATED: {
      const on = regAt(depth, argI(op, 0));
      const n = argI(op, 1);
      const c = load<i32>(on) == K_NULL ? -1 : load<i32>(on, 24);
      const list = c >= 0 && c < n ? <usize> argI(op, 3 + c) : <usize> argI(op, 2);
      if (list == 0) setKind(reg, K_NULL, 0);
      else pickFrom(list, reg);
      break;
    }
    case V_MEMBER: {
      const src = regAt(depth, argI(op, 0));
      if (load<i32>(src) == K_NULL) setKind(reg, K_NULL, 0);
      else takeEntry(<usize> argI(op, 1), load<i32>(src, 24), reg);
      break;
    }
    case V_SEQUENCE: {
      const v = load<i64>(arg(op, 0)) + <i64> row;
      const prefixLen = argI(op, 3);
      const width = argI(op, 4);
      if (prefixLen == 0 && width == 0) {
        setKind(reg, K_INT, v);
        break;
      }
      const at = beginText();
      putBytes(<usize> argI(op, 2), <usize> prefixLen);
      let digits = 1;
      for (let t = <u64> v; t >= 10; t /= 10) digits++;
      if (width > digits) putPadded(<u64> v, width);
      else putU64(<u64> v);
      endText(reg, at, 0);
      break;
    }
    case V_UUID4:
      store<i32>(reg, K_UUID);
      store<u64>(reg, (next() & 0xffffffffffff0fff) | 0x4000, 8);
      store<u64>(reg, permute(row, 62, tableKey) | 0x8000000000000000, 16);
      break;
    case V_UUID7: {
      const rows = load<u64>(table, RT_ROWS << 2);
      const span = <f64> load<u64>(arg(op, 2));
      const ms = load<i64>(arg(op, 0)) + <i64> Math.floor((<f64> row + unit()) * span / <f64> (rows == 0 ? <u64> 1 : rows));
      store<i32>(reg, K_UUID);
      store<u64>(reg, (<u64> ms << 16) | 0x7000 | (next() & 0xfff), 8);
      store<u64>(reg, permute(row, 62, tableKey) | 0x8000000000000000, 16);
      break;
    }
    case V_HASH: {
      const length = argI(op, 0);
      const alphabet = <usize> argI(op, 1);
      const base = <u64> argI(op, 2);
      let x = permuteBelow(row, <u32> argI(op, 3), load<u64>(arg(op, 4)), tableKey);
      const at = beginText();
      const p = out;
      for (let i = length - 1; i >= 0; i--) {
        store<u8>(p + <usize> i, load<u8>(alphabet + <usize> (x % base)));
        x /= base;
      }
      setCursor(p + <usize> length, arenaEnd);
      endText(reg, at, 0);
      break;
    }
    case V_TEMPORAL: {
      const kind = argI(op, 0);
      const lo = load<i64>(arg(op, 1));
      const span = load<u64>(arg(op, 3));
      let v: i64 = 0;
      if (argI(op, 6) != 0) {
        const rows = load<u64>(table, RT_ROWS << 2);
        let off = <u64> Math.floor((<f64> row + unit()) * (<f64> span + 1.0) / <f64> (rows == 0 ? <u64> 1 : rows));
        if (off > span) off = span;
        v = lo + <i64> off;
      } else {
        v = drawInt(<usize> argI(op, 5), lo, span);
      }
      setKind(reg, kind, v);
      break;
    }
    case V_AFTER: {
      const src = regAt(depth, argI(op, 0));
      const kind = argI(op, 1);
      const srcKind = load<i32>(src);
      if (srcKind == K_NULL) {
        setKind(reg, K_NULL, 0);
        break;
      }
      let base = load<i64>(src, 8);
      if (srcKind == K_DATE && kind == K_TS) base *= 86400;
      const lag = drawInt(<usize> argI(op, 7), load<i64>(arg(op, 3)), load<u64>(arg(op, 5)));
      setKind(reg, kind, base + lag * <i64> argI(op, 2));
      break;
    }
    case V_FULL_NAME: {
      const first = <usize> argI(op, 0);
      const last = <usize> argI(op, 1);
      const i = vocabIndex(first);
      const j = vocabIndex(last);
      const at = beginText();
      putEntry(first, i);
      putByte(32);
      putEntry(last, j);
      endText(reg, at, 0);
      store<i32>(reg, i, 24);
      store<i32>(reg, j, 28);
      break;
    }
    case V_EMAIL: {
      const from = argI(op, 0);
      const firsts = <usize> argI(op, 1);
      const lasts = <usize> argI(op, 2);
      const domains = <usize> argI(op, 3);
      const sourceKind = argI(op, 4); // 0 full name, 1 first name, 2 last name, 3 none
      let i = -1, j = -1;
      if (from >= 0) {
        const src = regAt(depth, from);
        if (load<i32>(src) != K_NULL) {
          if (sourceKind == 0) {
            i = load<i32>(src, 24);
            j = load<i32>(src, 28);
          } else if (sourceKind == 1) i = load<i32>(src, 24);
          else if (sourceKind == 2) j = load<i32>(src, 24);
        }
      }
      if (i < 0) i = vocabIndex(firsts);
      if (j < 0) j = vocabIndex(lasts);
      const at = beginText();
      putEntry(firsts, i);
      putByte(46);
      putEntry(lasts, j);
      if (next() >> 63) putU64(below(100));
      putByte(64);
      putEntry(domains, vocabIndex(domains));
      endText(reg, at, 0);
      break;
    }
    case V_PATTERN: {
      const at = beginText();
      putPattern(<usize> argI(op, 0));
      endText(reg, at, 0);
      break;
    }
    case V_DERIVED: {
      const kind = argI(op, 0);
      const x = evaluate(arg(op, 3), argI(op, 2), arena, regAt(depth, 0));
      if (isNaN(x) || !isFinite(x)) setKind(reg, K_NULL, 0);
      else if (kind == K_DEC) {
        const scale = argI(op, 1);
        setKind(reg, K_DEC, resultAt(x, scale));
        store<i32>(reg, scale, 4);
      } else setKind(reg, K_INT, resultAt(x, 0));
      break;
    }
    case V_REFERENCE:
      reference(table, op, row, depth, r);
      break;
    case V_NOW:
      setKind(reg, K_INT, clockMs);
      break;
    case V_ORDINAL:
      setKind(reg, K_INT, <i64> load<u64>(cursorAt(depth), 8) + 1);
      break;
    case V_IPV4: {
      const x = next();
      const at = beginText();
      putU64(1 + ((x >> 32) * 222 >> 32));
      for (let i = 0; i < 3; i++) {
        putByte(46);
        putU64((x >> <u64> (8 * i)) & 255);
      }
      endText(reg, at, 0);
      break;
    }
    case V_IPV6: {
      const at = beginText();
      putHex(0x2001, 4);
      for (let i = 0; i < 7; i++) {
        putByte(58);
        putHex(next(), 4);
      }
      endText(reg, at, 0);
      break;
    }
    default:
      valueError = ERR_BAD_VALUE_OP;
  }
}

/** Evaluates all ops of `table` for `row` into bank 0 (the cursor, if any, is already at `row`). */
export function evalRow(table: usize, row: u64): void {
  resetArena();
  const ops = <usize> load<i32>(table, RT_OPS << 2);
  const n = load<i32>(table, RT_OP_COUNT << 2);
  for (let i = 0; i < n; i++) evalOp(table, <usize> load<i32>(ops + (<usize> i << 2)), row, 0);
}
