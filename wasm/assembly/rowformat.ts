// Writes a row's registers in an output format (value_ops.ts: F_*): CSV
// (RFC 4180 quoting), PostgreSQL COPY text, NDJSON, a JSON array's rows and
// multi-row SQL INSERTs, and the SET list of an UPDATE over the columns an
// output mask selects. Each format escapes text once, here.

import { out, putByte, putBytes, putI64, putPadded, putScaled } from "./emit";
import { civilDate, putClock, putDate, putTimestamp, putUuidText } from "./literals";
import {
  F_COPY,
  F_CSV,
  F_JSON,
  F_NDJSON,
  F_BIND,
  F_SET,
  F_SQL,
  K_BOOL,
  K_DATE,
  K_DEC,
  K_INT,
  K_NULL,
  K_TEXT,
  K_TS,
  K_UUID,
  OUT_WORDS,
  RT_BATCH,
  RT_DELIM,
  RT_FORMAT,
  RT_HEAD_LEN,
  RT_HEAD_OFF,
  RT_OUT,
  RT_OUT_COUNT,
  TF_EPOCH,
  TF_EPOCH_MS,
  TF_ISO,
  TF_SQL,
} from "./value_ops";
import { regAt } from "./values";

const TRUE = memory.data<u8>([116, 114, 117, 101]);
const FALSE = memory.data<u8>([102, 97, 108, 115, 101]);
const NULL_SQL = memory.data<u8>([78, 85, 76, 76]);
const NULL_JSON = memory.data<u8>([110, 117, 108, 108]);
const HEX = memory.data<u8>([48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102]);

// @ts-ignore: decorator
@inline function putCsvText(at: usize, len: usize, delim: u32): void {
  // An empty field is NULL in CSV: the empty string is written quoted.
  let plain = len > 0;
  // Eight bytes at a time: a byte equal to c makes x ^ c*0x01.. have a zero byte.
  const ones: u64 = 0x0101010101010101;
  const highs: u64 = 0x8080808080808080;
  const d = delim < 256 ? <u64> delim * ones : 34 * ones;
  let i: usize = 0;
  for (; i + 8 <= len; i += 8) {
    const x = load<u64>(at + i);
    const a = x ^ d, b = x ^ (34 * ones), c = x ^ (10 * ones), e = x ^ (13 * ones);
    if ((((a - ones) & ~a) | ((b - ones) & ~b) | ((c - ones) & ~c) | ((e - ones) & ~e)) & highs) {
      plain = false;
      break;
    }
  }
  for (; plain && i < len; i++) {
    const c = <u32> load<u8>(at + i);
    if (c == delim || c == 34 || c == 10 || c == 13) {
      plain = false;
      break;
    }
  }
  if (plain) {
    putBytes(at, len);
    return;
  }
  putByte(34);
  for (let i: usize = 0; i < len; i++) {
    const c = <u32> load<u8>(at + i);
    if (c == 34) putByte(34);
    putByte(c);
  }
  putByte(34);
}

function putCopyText(at: usize, len: usize): void {
  for (let i: usize = 0; i < len; i++) {
    const c = <u32> load<u8>(at + i);
    if (c == 92) {
      putByte(92);
      putByte(92);
    } else if (c == 9) {
      putByte(92);
      putByte(116);
    } else if (c == 10) {
      putByte(92);
      putByte(110);
    } else if (c == 13) {
      putByte(92);
      putByte(114);
    } else putByte(c);
  }
}

function putJsonText(at: usize, len: usize): void {
  putByte(34);
  for (let i: usize = 0; i < len; i++) {
    const c = <u32> load<u8>(at + i);
    if (c == 34 || c == 92) {
      putByte(92);
      putByte(c);
    } else if (c < 32) {
      putByte(92);
      putByte(117);
      putByte(48);
      putByte(48);
      putByte(load<u8>(HEX + <usize> (c >> 4)));
      putByte(load<u8>(HEX + <usize> (c & 15)));
    } else putByte(c);
  }
  putByte(34);
}

function putSqlText(at: usize, len: usize): void {
  putByte(39);
  for (let i: usize = 0; i < len; i++) {
    const c = <u32> load<u8>(at + i);
    if (c == 39) putByte(39);
    putByte(c);
  }
  putByte(39);
}

// F_SET: which output entries an UPDATE assigns (bit i = entry i, 128 entries).
let maskLo: u64 = 0;
let maskHi: u64 = 0;

/** Chooses the output entries F_SET writes: bit i of (lo, hi) is entry i. */
export function setOutputMask(lo: u64, hi: u64): void {
  maskLo = lo;
  maskHi = hi;
}

// @ts-ignore: decorator
@inline function masked(i: i32): bool {
  return i < 64 ? ((maskLo >> <u64> i) & 1) != 0 : ((maskHi >> <u64> (i - 64)) & 1) != 0;
}

/** Writes `"a" = v, "b" = v;\n` for the masked entries of bank 0 (SQL literals). */
function putSet(entries: usize, n: i32): void {
  let first = true;
  for (let i = 0; i < n; i++) {
    if (!masked(i)) continue;
    const entry = entries + <usize> (i * OUT_WORDS) * 4;
    if (!first) {
      putByte(44);
      putByte(32);
    }
    first = false;
    putBytes(<usize> load<i32>(entry, 32), <usize> load<i32>(entry, 36));
    putValue(regAt(0, load<i32>(entry)), entry, F_SQL, 0);
  }
  putByte(59);
  putByte(10);
}

/** Writes the masked entries of bank 0 as Bind parameters: length (big-endian i32, -1 for NULL), then text. */
function putBind(entries: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    if (!masked(i)) continue;
    const entry = entries + <usize> (i * OUT_WORDS) * 4;
    const reg = regAt(0, load<i32>(entry));
    const at = out;
    putByte(0);
    putByte(0);
    putByte(0);
    putByte(0);
    if (load<i32>(reg) == K_NULL) {
      store<u32>(at, 0xffffffff);
      continue;
    }
    putValue(reg, entry, F_BIND, 0);
    const len = <u32> (out - at - 4);
    store<u32>(at, bswap<u32>(len));
  }
}

/** strftime subset: %Y %m %d %H %M %S %j %%; other bytes as they are. */
function putStrftime(seconds: i64, fmt: usize, len: usize): void {
  let days = <i32> (seconds / 86400);
  let rest = <i32> (seconds - <i64> days * 86400);
  if (rest < 0) {
    rest += 86400;
    days -= 1;
  }
  const c = civilDate(days);
  const y = c >> 9;
  const m = (c >> 5) & 15;
  const d = c & 31;
  for (let i: usize = 0; i < len; i++) {
    const c = <u32> load<u8>(fmt + i);
    if (c != 37 || i + 1 >= len) {
      putByte(c);
      continue;
    }
    i++;
    const f = <u32> load<u8>(fmt + i);
    if (f == 89) putPadded(<u64> y, 4);
    else if (f == 109) putPadded(<u64> m, 2);
    else if (f == 100) putPadded(<u64> d, 2);
    else if (f == 72) putPadded(<u64> (rest / 3600), 2);
    else if (f == 77) putPadded(<u64> ((rest / 60) % 60), 2);
    else if (f == 83) putPadded(<u64> (rest % 60), 2);
    else if (f == 106) {
      // Day of the year, from January 1st of y.
      const jan1 = daysFromCivil(y, 1, 1);
      putPadded(<u64> (days - jan1 + 1), 3);
    } else putByte(f);
  }
}

function daysFromCivil(y: u32, m: u32, d: u32): i32 {
  const yy = m <= 2 ? y - 1 : y;
  const era = yy / 400;
  const yoe = yy - era * 400;
  const doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return <i32> (era * 146097 + doe) - 719468;
}

/** Whether a temporal value is written as a number (no quotes in JSON). */
// @ts-ignore: decorator
@inline function numericTemporal(tf: i32): bool {
  return tf == TF_EPOCH || tf == TF_EPOCH_MS;
}

function putTemporal(kind: i32, v: i64, tf: i32, entry: usize): void {
  const seconds = kind == K_DATE ? v * 86400 : v;
  if (tf == TF_EPOCH) putI64(seconds);
  else if (tf == TF_EPOCH_MS) putI64(seconds * 1000);
  else if (tf == TF_SQL || tf == TF_ISO) {
    if (kind == K_DATE) putDate(<i32> v);
    else if (tf == TF_SQL) putTimestamp(v);
    else {
      let days = <i32> (v / 86400);
      let rest = <i32> (v - <i64> days * 86400);
      if (rest < 0) {
        rest += 86400;
        days -= 1;
      }
      putDate(days);
      putByte(84);
      putClock(<u32> rest);
      putByte(90);
    }
  } else putStrftime(seconds, <usize> load<i32>(entry, 8), <usize> load<i32>(entry, 12));
}

function putValue(reg: usize, entry: usize, format: i32, delim: u32): void {
  const kind = load<i32>(reg);
  const v = load<i64>(reg, 8);
  const quoted = format == F_SQL ? 39 : format == F_NDJSON || format == F_JSON ? 34 : 0;
  switch (kind) {
    case K_NULL:
      if (format == F_COPY) {
        putByte(92);
        putByte(78);
      } else if (format == F_SQL) putBytes(NULL_SQL, 4);
      else if (format != F_CSV) putBytes(NULL_JSON, 4);
      break;
    case K_INT:
      putI64(v);
      break;
    case K_DEC:
      putScaled(v, load<i32>(reg, 4));
      break;
    case K_BOOL:
      if (v != 0) putBytes(TRUE, 4);
      else putBytes(FALSE, 5);
      break;
    case K_TEXT: {
      const at = <usize> load<u32>(reg, 8);
      const len = <usize> load<u32>(reg, 12);
      if ((load<i32>(reg, 4) & 1) != 0 || format == F_BIND) putBytes(at, len);
      else if (format == F_CSV) putCsvText(at, len, delim);
      else if (format == F_COPY) putCopyText(at, len);
      else if (format == F_SQL) putSqlText(at, len);
      else putJsonText(at, len);
      break;
    }
    case K_DATE:
    case K_TS: {
      const tf = load<i32>(entry, 4);
      const q = numericTemporal(tf) ? 0 : quoted;
      if (q != 0) putByte(q);
      putTemporal(kind, v, tf, entry);
      if (q != 0) putByte(q);
      break;
    }
    case K_UUID:
      if (quoted != 0) putByte(quoted);
      putUuidText(<u64> v, load<u64>(reg, 16));
      if (quoted != 0) putByte(quoted);
      break;
  }
}

/**
 * Writes row `row` of `table` from bank 0: the format's separators, each
 * output entry's value, and the line end (SQL: the INSERT head before a
 * batch's first row, `;` after its last).
 */
export function putRow(table: usize, row: u64): void {
  const format = load<i32>(table, RT_FORMAT << 2);
  const delim = <u32> load<i32>(table, RT_DELIM << 2);
  const entries = <usize> load<i32>(table, RT_OUT << 2);
  const n = load<i32>(table, RT_OUT_COUNT << 2);
  const batch = <u64> load<i32>(table, RT_BATCH << 2);
  if (format == F_SET) {
    putSet(entries, n);
    return;
  }
  if (format == F_BIND) {
    putBind(entries, n);
    return;
  }
  if (format == F_SQL) {
    if (row % batch == 0) putBytes(<usize> load<i32>(table, RT_HEAD_OFF << 2), <usize> load<i32>(table, RT_HEAD_LEN << 2));
    putByte(40);
  } else if (format >= F_NDJSON) putByte(123);
  for (let i = 0; i < n; i++) {
    const entry = entries + <usize> (i * OUT_WORDS) * 4;
    if (i > 0) {
      if (format == F_CSV) putByte(delim);
      else if (format == F_COPY) putByte(9);
      else {
        putByte(44);
        if (format == F_SQL) putByte(32);
      }
    }
    if (format >= F_NDJSON && format != F_SQL) {
      putBytes(<usize> load<i32>(entry, 16), <usize> load<i32>(entry, 20));
      putByte(58);
    }
    putValue(regAt(0, load<i32>(entry)), entry, format, delim);
  }
  if (format == F_SQL) {
    putByte(41);
    putByte((row + 1) % batch == 0 ? 59 : 44);
  } else if (format >= F_NDJSON) {
    putByte(125);
    if (format == F_JSON) putByte(44);
  }
  putByte(10);
}
