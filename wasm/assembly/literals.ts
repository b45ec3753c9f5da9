// SQL literals for a column, chosen at random within the column's range.
// Column record words are described in layout.ts.

import { below, below32, next } from "./rng";
import { putByte, putBytes, putHex, putI64, putPadded, putScaled, putTwoDigits, putU64, putUuidHex } from "./emit";
import {
  T_BOOL,
  T_BYTEA,
  T_CHAR,
  T_DATE,
  T_ENUM,
  T_FLOAT4,
  T_FLOAT8,
  T_INET,
  T_INT2,
  T_INT4,
  T_INT8,
  T_INTERVAL,
  T_JSONB,
  T_NUMERIC,
  T_SQL,
  T_TEXT,
  T_TIME,
  T_TIMESTAMP,
  T_TIMESTAMPTZ,
  T_UUID,
  T_VARCHAR,
} from "./opcodes";

export const COL_NAME_OFF: usize = 0;
export const COL_NAME_LEN: usize = 4;
export const COL_TYPE: usize = 8;
export const COL_ATTR: usize = 12;
export const COL_LO: usize = 16;
export const COL_SPAN: usize = 24;
export const COL_LENGTH: usize = 32;
export const COL_SCALE: usize = 36;
export const COL_VOCAB: usize = 40;
export const COL_VOCAB_COUNT: usize = 44;
export const COL_TYPE_OFF: usize = 48;
export const COL_TYPE_LEN: usize = 52;
export const COL_TABLE: usize = 56;
export const COL_INDEX: usize = 60;
export const COL_ORDINAL: usize = 64;

let poolBase: usize = 0;

export function setPool(base: usize): void {
  poolBase = base;
}

// @ts-ignore: decorator
@inline function putPool(off: i32, len: i32): void {
  putBytes(poolBase + <usize> off, <usize> len);
}

// @ts-ignore: decorator
@inline function rangeValue(col: usize): i64 {
  return load<i64>(col, COL_LO) + <i64> below(load<u64>(col, COL_SPAN) + 1);
}

/** Emits a random vocabulary entry of the column, at most `maxLen` bytes. */
function putVocab(col: usize, maxLen: i32): void {
  const vocab = <usize> load<i32>(col, COL_VOCAB);
  const entry = vocab + (<usize> below32(<u32> load<i32>(col, COL_VOCAB_COUNT)) << 3);
  let len = load<i32>(entry, 4);
  if (maxLen > 0 && len > maxLen) len = maxLen;
  putPool(load<i32>(entry), len);
}

const ALNUM_LEN: u32 = 36;

function putAlnum(n: i32): void {
  for (let i = 0; i < n; i++) {
    const d = below32(ALNUM_LEN);
    putByte(d < 10 ? 48 + d : 87 + d);
  }
}

function putText(col: usize): void {
  const maxLen = load<i32>(col, COL_LENGTH);
  putByte(39);
  if (load<i32>(col, COL_VOCAB_COUNT) > 0) {
    putVocab(col, maxLen);
  } else {
    const cap = maxLen > 0 && maxLen < 12 ? maxLen : 12;
    putAlnum(1 + <i32> below32(<u32> cap));
  }
  putByte(39);
}

// @ts-ignore: decorator
@inline function putTwo(v: u32): void {
  if (v < 100) putTwoDigits(v);
  else {
    putByte(48 + v / 10);
    putByte(48 + v % 10);
  }
}

/**
 * Days since 1970-01-01 to a civil date (H. Hinnant's algorithm), in 32-bit
 * arithmetic: engines turn 32-bit division by a constant into a multiply.
 * Valid for years 0..9999, which column ranges stay within. Returns
 * year << 9 | month << 5 | day.
 */
export function civilDate(days: i32): u32 {
  const z = <u32>(days + 719468);
  const era = z / 146097;
  const doe = z - era * 146097;
  const yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const mp = (5 * doy + 2) / 153;
  const d = doy - (153 * mp + 2) / 5 + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return (y << 9) | (m << 5) | d;
}

/** Writes a date as YYYY-MM-DD. */
export function putDate(days: i32): void {
  const c = civilDate(days);
  const y = c >> 9;
  putTwo(y / 100);
  putTwo(y % 100);
  putByte(45);
  putTwo((c >> 5) & 15);
  putByte(45);
  putTwo(c & 31);
}

export function putClock(secondsOfDay: u32): void {
  putTwo(secondsOfDay / 3600);
  putByte(58);
  putTwo((secondsOfDay / 60) % 60);
  putByte(58);
  putTwo(secondsOfDay % 60);
}

export function putTimestamp(seconds: i64): void {
  let days = <i32>(seconds / 86400);
  let rest = <i32>(seconds - <i64>days * 86400);
  if (rest < 0) {
    rest += 86400;
    days -= 1;
  }
  putDate(days);
  putByte(32);
  putClock(<u32>rest);
}

export function putUuid(hi: u64, lo: u64): void {
  putByte(39);
  putUuidText(hi, lo);
  putByte(39);
}

/** A UUID's 36 characters, unquoted. */
export function putUuidText(hi: u64, lo: u64): void {
  putUuidHex(hi, lo);
}

function putJsonb(col: usize): void {
  const hasVocab = load<i32>(col, COL_VOCAB_COUNT) > 0;
  putByte(39);
  putByte(123);
  const pairs: u32 = 1 + below32(3);
  for (let i: u32 = 0; i < pairs; i++) {
    if (i > 0) {
      putByte(44);
      putByte(32);
    }
    putByte(34);
    if (hasVocab) putVocab(col, 40);
    else putAlnum(4);
    putByte(34);
    putByte(58);
    putByte(32);
    const kind = below32(4);
    if (kind == 0) {
      putByte(34);
      putAlnum(1 + <i32> below32(8));
      putByte(34);
    } else if (kind == 1) {
      if (next() >> 63) putTrue();
      else putFalse();
    } else {
      putU64(below(1000));
    }
  }
  putByte(125);
  putByte(39);
}

/** Emits a literal valid for the column's type and range. */
export function putLiteral(col: usize): void {
  const type = load<i32>(col, COL_TYPE);
  switch (type) {
    case T_INT2:
    case T_INT4:
    case T_INT8:
      putI64(rangeValue(col));
      break;
    case T_NUMERIC:
    case T_FLOAT4:
    case T_FLOAT8:
      putScaled(rangeValue(col), load<i32>(col, COL_SCALE));
      break;
    case T_TEXT:
    case T_VARCHAR:
    case T_CHAR:
    case T_ENUM:
      putText(col);
      break;
    case T_SQL:
      putVocab(col, 0);
      break;
    case T_BOOL:
      if (next() >> 63) putTrue();
      else putFalse();
      break;
    case T_DATE:
      putByte(39);
      putDate(<i32>rangeValue(col));
      putByte(39);
      break;
    case T_TIMESTAMP:
      putByte(39);
      putTimestamp(rangeValue(col));
      putByte(39);
      break;
    case T_TIMESTAMPTZ:
      putByte(39);
      putTimestamp(rangeValue(col));
      putByte(43);
      putByte(48);
      putByte(48);
      putByte(39);
      break;
    case T_TIME:
      putByte(39);
      putClock(<u32>(rangeValue(col) % 86400));
      putByte(39);
      break;
    case T_INTERVAL: {
      const s = rangeValue(col);
      putByte(39);
      putI64(s / 86400);
      putBytes(DAYS, 6);
      putClock(<u32>(s % 86400));
      putByte(39);
      break;
    }
    case T_UUID:
      putUuid((next() & 0xffffffffffff0fff) | 0x4000, (next() & 0x3fffffffffffffff) | 0x8000000000000000);
      break;
    case T_JSONB:
      putJsonb(col);
      break;
    case T_BYTEA: {
      putByte(39);
      putByte(92);
      putByte(120);
      const n = 1 + <i32> below32(16);
      for (let i = 0; i < n; i++) putHex(next(), 2);
      putByte(39);
      break;
    }
    case T_INET:
      putByte(39);
      putByte(49);
      putByte(48);
      for (let i = 0; i < 3; i++) {
        putByte(46);
        putU64(below(256));
      }
      putByte(39);
      break;
    default:
      putNull();
  }
}

const DAYS = memory.data<u8>([32, 100, 97, 121, 115, 32]); // " days "
const TRUE = memory.data<u8>([116, 114, 117, 101]);
const FALSE = memory.data<u8>([102, 97, 108, 115, 101]);
const NULL = memory.data<u8>([78, 85, 76, 76]);

export function putTrue(): void {
  putBytes(TRUE, 4);
}

export function putFalse(): void {
  putBytes(FALSE, 5);
}

export function putNull(): void {
  putBytes(NULL, 4);
}

/**
 * Emits the unique value `v` as a literal of the column's type where the type
 * can hold every value below 2^63 (bigint, wide numeric, text, uuid); other
 * types get an ordinary literal, and the grammar loader does not count them
 * as unique.
 */
export function putUniqueLiteral(col: usize, v: u64): void {
  const type = load<i32>(col, COL_TYPE);
  switch (type) {
    case T_INT8:
    case T_NUMERIC:
      putU64(v);
      break;
    case T_TEXT:
    case T_VARCHAR:
      putByte(39);
      putByte(113);
      putU64(v);
      putByte(39);
      break;
    case T_UUID:
      putUuid(v, 0x8000000000000000);
      break;
    default:
      putLiteral(col);
  }
}
