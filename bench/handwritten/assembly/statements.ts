// The ceiling for the grammar VM: a hand-written AssemblyScript generator of
// dml_unique-like statements (INSERT with 1..3 rows, SELECT with a WHERE,
// UPDATE, DELETE; every one with a unique tag) over a compiled program's
// table and column records, with the kernel's own RNG, output cursor and
// literal writers, but its grammar as straight-line code: no VM. What it
// writes per byte is what a core can do when nothing is interpreted.
// Built by bench/handwritten/build.ts; measured by bench/generate_bench.ts.

import { below32, seedStatement, setSeed, uniqueValue } from "../../../wasm/assembly/rng";
import { out, putBytes, putByte, putU64, setCursor } from "../../../wasm/assembly/emit";
import { COL_NAME_LEN, COL_NAME_OFF, putLiteral, setPool } from "../../../wasm/assembly/literals";

export { setSeed };

let pool: usize = 0;
let tables: usize = 0;
let tableCount: u32 = 0;

// Constant texts, copied once into static memory so they go out with putBytes.
const TEXT = memory.data(512);
const TEXT_AT = memory.data(64);
let textEnd: usize = 0;
let texts: i32 = 0;

function define(s: string): i32 {
  store<u32>(TEXT_AT + (<usize> texts << 3), <u32> textEnd);
  for (let i = 0; i < s.length; i++) store<u8>(TEXT + textEnd + <usize> i, <u8> s.charCodeAt(i));
  store<u32>(TEXT_AT + (<usize> texts << 3), <u32> s.length, 4);
  textEnd += <usize> s.length + 8;
  return texts++;
}

let INSERT = 0, AS_A = 0, OPEN = 0, VALUES = 0, CLOSE = 0, COMMA = 0, RETURNING = 0, AS_Q = 0, SELECT = 0,
  FROM = 0, WHERE = 0, A_DOT = 0, ORDER_BY = 0, LIMIT = 0, UPDATE = 0, SET = 0, EQ = 0, DELETE = 0, AND = 0,
  SPACE = 0, OP0 = 0;

export function init(poolAddr: usize, tablesAddr: usize, count: u32): void {
  pool = poolAddr;
  tables = tablesAddr;
  tableCount = count;
  setPool(poolAddr);
  textEnd = 0;
  texts = 0;
  INSERT = define("INSERT INTO ");
  AS_A = define(" AS a");
  OPEN = define(" (");
  VALUES = define(") VALUES (");
  CLOSE = define(")");
  COMMA = define(", ");
  RETURNING = define(" RETURNING ");
  AS_Q = define(" AS q");
  SELECT = define("SELECT ");
  FROM = define(" FROM ");
  WHERE = define(" WHERE ");
  A_DOT = define("a.");
  ORDER_BY = define(" ORDER BY a.");
  LIMIT = define(" LIMIT ");
  UPDATE = define("UPDATE ");
  SET = define(" SET ");
  EQ = define(" = ");
  DELETE = define("DELETE FROM ");
  AND = define(" AND ");
  SPACE = define(" ");
  OP0 = define(" = ");
  define(" <> ");
  define(" < ");
  define(" <= ");
  define(" > ");
  define(" >= ");
}

// @ts-ignore: decorator
@inline function text(i: i32): void {
  const e = TEXT_AT + (<usize> i << 3);
  putBytes(TEXT + <usize> load<u32>(e), <usize> load<u32>(e, 4));
}

// @ts-ignore: decorator
@inline function column(table: usize, i: u32): usize {
  return <usize> load<i32>(table, 12) + <usize> i * 72;
}

// @ts-ignore: decorator
@inline function name(col: usize): void {
  putBytes(pool + <usize> load<i32>(col, <usize> COL_NAME_OFF), <usize> load<i32>(col, <usize> COL_NAME_LEN));
}

function tableName(table: usize): void {
  putBytes(pool + <usize> load<i32>(table), <usize> load<i32>(table, 4));
}

function predicate(table: usize, n: u32): void {
  const col = column(table, below32(n));
  text(A_DOT);
  name(col);
  text(OP0 + <i32> below32(6));
  putLiteral(col);
}

/** One statement; `u` is its unique tag. */
function statement(u: u64): void {
  const table = tables + (<usize> below32(tableCount) << 5);
  const n = <u32> load<i32>(table, 8);
  const kind = below32(4);
  if (kind == 0) {
    text(INSERT);
    tableName(table);
    text(AS_A);
    text(OPEN);
    for (let i: u32 = 0; i < n; i++) {
      if (i > 0) text(COMMA);
      name(column(table, i));
    }
    const rows: u32 = 1 + below32(3);
    for (let r: u32 = 0; r < rows; r++) {
      if (r == 0) text(VALUES);
      else {
        text(CLOSE);
        text(COMMA);
        putByte(40);
      }
      for (let i: u32 = 0; i < n; i++) {
        if (i > 0) text(COMMA);
        putLiteral(column(table, i));
      }
    }
    text(CLOSE);
    text(RETURNING);
    putU64(u);
    text(AS_Q);
  } else if (kind == 1) {
    text(SELECT);
    putU64(u);
    text(AS_Q);
    const k: u32 = 1 + below32(4);
    for (let i: u32 = 0; i < k; i++) {
      text(COMMA);
      text(A_DOT);
      name(column(table, below32(n)));
    }
    text(FROM);
    tableName(table);
    text(AS_A);
    text(WHERE);
    predicate(table, n);
    if (below32(2) == 0) {
      text(AND);
      predicate(table, n);
    }
    text(ORDER_BY);
    name(column(table, below32(n)));
    text(LIMIT);
    putU64(1 + below32(500));
  } else if (kind == 2) {
    text(UPDATE);
    tableName(table);
    text(AS_A);
    text(SET);
    const k: u32 = 1 + below32(3);
    for (let i: u32 = 0; i < k; i++) {
      if (i > 0) text(COMMA);
      const col = column(table, 1 + below32(n - 1));
      name(col);
      text(EQ);
      putLiteral(col);
    }
    text(WHERE);
    predicate(table, n);
    text(RETURNING);
    putU64(u);
    text(AS_Q);
  } else {
    text(DELETE);
    tableName(table);
    text(AS_A);
    text(WHERE);
    predicate(table, n);
    text(RETURNING);
    putU64(u);
    text(AS_Q);
  }
}

export let lastLength: u32 = 0;

/**
 * Statements first .. first + count - 1 into [buf, buf + cap), each ended by
 * ";\n", stopping while 64 KiB are left; returns how many were written.
 */
export function generate(first: u64, count: u32, buf: usize, cap: u32): u32 {
  const end = buf + <usize> cap - 65536;
  setCursor(buf, buf + <usize> cap);
  let i: u32 = 0;
  for (; i < count && out < end; i++) {
    const index = first + <u64> i;
    seedStatement(index, 0);
    statement(uniqueValue(index, 0));
    putByte(59);
    putByte(10);
  }
  lastLength = <u32> (out - buf);
  return i;
}
