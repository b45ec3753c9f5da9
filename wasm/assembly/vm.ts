// The grammar VM: expands one statement per call of `runStatement` by
// interpreting the compiled program (see opcodes.ts for the instruction set);
// expand.ts drives it over a range of statements.

import { below32, next, seedStatement, uniqueValue } from "./rng";
import { putByte, putBytes, putU64, room } from "./emit";
import { columnAt, masksFor, nthSetBit, pickChoice, pickColumns } from "./picks";
import {
  COL_ATTR,
  COL_INDEX,
  COL_NAME_LEN,
  COL_NAME_OFF,
  COL_ORDINAL,
  COL_TYPE_LEN,
  COL_TYPE_OFF,
  putLiteral,
  putNull,
  putUniqueLiteral,
  setPool,
} from "./literals";
import {
  A_NULLABLE,
  ERR_BAD_OPCODE,
  ERR_CALL_DEPTH,
  ERR_LOOP_DEPTH,
  ERR_NO_CANDIDATE,
  ERR_STATEMENT_TOO_LONG,
  ERR_TOO_MANY_UNIQUE,
  MAX_UNIQUE,
  A_UNIQUE_CAPABLE,
  OP_CALL,
  OP_CHOICE,
  OP_COL_LIT,
  OP_COL_NAME,
  OP_COL_NAMES,
  OP_COL_TYPE,
  OP_COL_UNIQUE,
  OP_EACH_BEGIN,
  OP_EACH_NEXT,
  OP_EACH_NEXT_SW,
  OP_FAIL,
  OP_FK_BEGIN,
  OP_FK_NEXT,
  OP_HALT,
  OP_JMP,
  OP_LIT,
  OP_LIT_COL_LIT,
  OP_LIT_COL_NAME,
  OP_LIT_TABLE_NAME,
  OP_LIT_UNIQUE,
  OP_MAYBE,
  OP_NUM,
  OP_PICK_COL,
  OP_PICK_COLS,
  OP_PICK_FK,
  OP_PICK_TABLE,
  OP_POOL,
  OP_REP_BEGIN,
  OP_REP_NEXT,
  OP_RET,
  OP_SWITCH_COL,
  OP_TABLE_NAME,
  OP_UNIQUE,
} from "./opcodes";
import {
  FK_MAX_PAIRS,
  MAX_CALL_DEPTH,
  MAX_LIST,
  MAX_LOOPS,
  MAX_TRACE,
  SCR_CALLS,
  SCR_COLUMNS,
  SCR_FKS,
  SCR_LISTS,
  SCR_LOOPS,
  SCR_TABLES,
  SCR_TRACE,
} from "./layout";

let codeBase: usize = 0;
let poolBase: usize = 0;
let scratch: usize = 0;
let startWord: i32 = 0;
let maxDepth: i32 = 0;
let depth: i32 = 0;
let loopTop: i32 = 0;
let index: u64 = 0;
let uniqueCount: u32 = 0;

export let errorPc: i32 = 0;

// Tracing (off in generation): the code words of the CALL and CHOICE
// instructions a statement ran, in order, so the host can name the grammar
// rules that produced it. Reset at the start of each statement.
let tracing: bool = false;
export let traceLength: i32 = 0;

export function setTracing(on: i32): void {
  tracing = on != 0;
}

function trace(pc: usize): void {
  if (traceLength < MAX_TRACE) {
    store<i32>(scratch + SCR_TRACE + (<usize> traceLength << 2), <i32> ((pc - codeBase) >> 2));
    traceLength++;
  }
}

export function init(code: usize, pool: usize, scratchBase: usize, start: i32, depthBudget: i32): void {
  codeBase = code;
  poolBase = pool;
  scratch = scratchBase;
  startWord = start;
  maxDepth = depthBudget;
  setPool(pool);
}

// @ts-ignore: decorator
@inline function word(pc: usize, n: usize): i32 {
  return load<i32>(pc + (n << 2));
}

// @ts-ignore: decorator
@inline function at(target: i32): usize {
  return codeBase + (<usize> target << 2);
}

// @ts-ignore: decorator
@inline function tableSlot(slot: i32): usize {
  return scratch + SCR_TABLES + (<usize> slot << 2);
}

// @ts-ignore: decorator
@inline function columnReg(reg: i32): usize {
  return scratch + SCR_COLUMNS + (<usize> reg << 2);
}

// @ts-ignore: decorator
@inline function fkReg(reg: i32): usize {
  return scratch + SCR_FKS + (<usize> reg << 2);
}

// @ts-ignore: decorator
@inline function listAt(list: i32): usize {
  return scratch + SCR_LISTS + <usize> list * (<usize> (1 + MAX_LIST) << 2);
}

// @ts-ignore: decorator
@inline function loopAt(i: i32): usize {
  return scratch + SCR_LOOPS + (<usize> i << 4);
}

// @ts-ignore: decorator
@inline function putPool(off: i32, len: i32): void {
  putBytes(poolBase + <usize> off, <usize> len);
}

/**
 * A COL_LIT: the column's literal, or NULL at the instruction's rate when
 * the column is nullable.
 */
// @ts-ignore: decorator
@inline function colLit(col: usize, nullThreshold: u32): void {
  if ((load<i32>(col, COL_ATTR) & A_NULLABLE) != 0 && <u32> (next() >> 33) < nullThreshold) {
    putNull();
  } else putLiteral(col);
}

/** The case a SWITCH_COL's table gives the column (see OP_SWITCH_COL). */
// @ts-ignore: decorator
@inline function switchEntry(table: usize, col: usize): i32 {
  return load<i32>(table + (<usize> load<i32>(col, COL_ORDINAL) << 2));
}

/** Expands the start rule once; returns 0 or an error code. */
function run(): i32 {
  let pc = at(startWord);
  depth = 0;
  loopTop = 0;
  traceLength = 0;
  const calls = scratch + SCR_CALLS;
  while (true) {
    const op = load<i32>(pc);
    switch (op) {
      case OP_LIT: {
        const len = word(pc, 2);
        if (!room(<usize> len)) return fail(pc, ERR_STATEMENT_TOO_LONG);
        putPool(word(pc, 1), len);
        pc += 12;
        break;
      }
      case OP_CALL: {
        if (depth >= MAX_CALL_DEPTH) return fail(pc, ERR_CALL_DEPTH);
        if (tracing) trace(pc);
        store<i32>(calls + (<usize> depth << 2), <i32> (pc + 8));
        depth++;
        pc = at(word(pc, 1));
        // Most rules start with a choice: take it here rather than through the dispatch.
        if (load<i32>(pc) == OP_CHOICE) {
          if (tracing) trace(pc);
          pc = at(pickChoice(pc, maxDepth - depth));
        }
        break;
      }
      case OP_RET: {
        depth--;
        pc = <usize> load<i32>(calls + (<usize> depth << 2));
        if (load<i32>(pc) == OP_HALT) return 0; // the start rule's return
        break;
      }
      case OP_JMP:
        pc = at(word(pc, 1));
        break;
      case OP_CHOICE:
        if (tracing) trace(pc);
        pc = at(pickChoice(pc, maxDepth - depth));
        break;
      case OP_NUM: {
        if (!room(0)) return fail(pc, ERR_STATEMENT_TOO_LONG);
        const lo = load<i64>(pc, 4);
        const span = load<u64>(pc, 12);
        const v = lo + <i64> (span == 0xffffffffffffffff ? next() : below64(span + 1));
        if (v < 0) {
          putByte(45);
          putU64(<u64> (-v));
        } else putU64(<u64> v);
        pc += 20;
        break;
      }
      case OP_MAYBE: {
        const threshold = <u32> word(pc, 1);
        if (word(pc, 2) > maxDepth - depth || <u32> (next() >> 33) >= threshold) pc = at(word(pc, 3));
        else pc += 16;
        break;
      }
      case OP_REP_BEGIN: {
        const min = word(pc, 1);
        const max = word(pc, 2);
        const count = word(pc, 3) > maxDepth - depth ? min : min + <i32> below32(<u32> (max - min + 1));
        if (count == 0) {
          pc = at(word(pc, 4));
          break;
        }
        if (loopTop >= MAX_LOOPS) return fail(pc, ERR_LOOP_DEPTH);
        store<i32>(loopAt(loopTop), count);
        loopTop++;
        pc += 20;
        break;
      }
      case OP_REP_NEXT: {
        const top = loopAt(loopTop - 1);
        const left = load<i32>(top) - 1;
        if (left > 0) {
          store<i32>(top, left);
          if (!room(<usize> word(pc, 2))) return fail(pc, ERR_STATEMENT_TOO_LONG);
          putPool(word(pc, 1), word(pc, 2));
          pc = at(word(pc, 3));
        } else {
          loopTop--;
          pc += 16;
        }
        break;
      }
      case OP_LIT_UNIQUE: {
        const len = word(pc, 2);
        if (!room(<usize> len)) return fail(pc, ERR_STATEMENT_TOO_LONG);
        putPool(word(pc, 1), len);
        pc += 8;
        // then UNIQUE, at pc (its own word is the LIT's last operand)
        if (!room(0)) return fail(pc, ERR_STATEMENT_TOO_LONG);
        if (uniqueCount >= <u32>MAX_UNIQUE) return fail(pc, ERR_TOO_MANY_UNIQUE);
        putU64(uniqueValue(index, uniqueCount++));
        pc += 4;
        break;
      }
      case OP_LIT_TABLE_NAME: {
        const t = <usize> load<i32>(tableSlot(word(pc, 3)));
        const len = word(pc, 2);
        const nameLen = load<i32>(t, 4);
        if (!room(<usize> (len + nameLen))) return fail(pc, ERR_STATEMENT_TOO_LONG);
        putPool(word(pc, 1), len);
        putPool(load<i32>(t), nameLen);
        pc += 16;
        break;
      }
      case OP_LIT_COL_LIT: {
        const len = word(pc, 2);
        if (!room(<usize> len)) return fail(pc, ERR_STATEMENT_TOO_LONG);
        putPool(word(pc, 1), len);
        const col = <usize> load<i32>(columnReg(word(pc, 3)));
        if (!room(0)) return fail(pc + 8, ERR_STATEMENT_TOO_LONG);
        colLit(col, <u32> word(pc, 4));
        pc += 20;
        break;
      }
      case OP_UNIQUE:
        if (!room(0)) return fail(pc, ERR_STATEMENT_TOO_LONG);
        if (uniqueCount >= <u32>MAX_UNIQUE) return fail(pc, ERR_TOO_MANY_UNIQUE);
        putU64(uniqueValue(index, uniqueCount++));
        pc += 4;
        break;
      case OP_PICK_TABLE: {
        const list = <usize> word(pc, 2);
        const n = load<u32>(list);
        if (n == 0) {
          pc = at(word(pc, 3));
          break;
        }
        store<i32>(tableSlot(word(pc, 1)), load<i32>(list + (<usize> (1 + below32(n)) << 2)));
        pc += 16;
        break;
      }
      case OP_TABLE_NAME: {
        const t = <usize> load<i32>(tableSlot(word(pc, 1)));
        const len = load<i32>(t, 4);
        if (!room(<usize>len)) return fail(pc, ERR_STATEMENT_TOO_LONG);
        putPool(load<i32>(t), len);
        pc += 8;
        break;
      }
      case OP_PICK_COLS:
        if (pickColumns(pc, listAt(word(pc, 1)), <usize> load<i32>(tableSlot(word(pc, 2))))) pc += 32;
        else pc = at(word(pc, 7));
        break;
      case OP_PICK_COL: {
        const table = <usize>load<i32>(tableSlot(word(pc, 2)));
        const cand = load<u64>(masksFor(word(pc, 3), table));
        if (cand == 0) {
          pc = at(word(pc, 4));
          break;
        }
        const n = <u32>popcnt<u64>(cand);
        store<i32>(columnReg(word(pc, 1)), columnAt(table, nthSetBit(cand, below32(n))));
        pc += 20;
        break;
      }
      case OP_EACH_BEGIN: {
        const list = listAt(word(pc, 1));
        if (load<i32>(list) == 0) {
          pc = at(word(pc, 3));
          break;
        }
        if (loopTop >= MAX_LOOPS) return fail(pc, ERR_LOOP_DEPTH);
        const top = loopAt(loopTop);
        store<i32>(top, 0);
        store<i32>(top, <i32> list, 4);
        store<i32>(top, word(pc, 2), 8);
        loopTop++;
        store<i32>(columnReg(word(pc, 2)), load<i32>(list, 4));
        pc += 16;
        break;
      }
      case OP_EACH_NEXT: {
        const top = loopAt(loopTop - 1);
        const i = load<i32>(top) + 1;
        const list = <usize> load<i32>(top, 4);
        if (i < load<i32>(list)) {
          store<i32>(top, i);
          store<i32>(columnReg(load<i32>(top, 8)), load<i32>(list + (<usize> (1 + i) << 2)));
          if (!room(<usize> word(pc, 2))) return fail(pc, ERR_STATEMENT_TOO_LONG);
          putPool(word(pc, 1), word(pc, 2));
          pc = at(word(pc, 3));
        } else {
          loopTop--;
          pc += 16;
        }
        break;
      }
      case OP_COL_NAME: {
        const col = <usize> load<i32>(columnReg(word(pc, 1)));
        const len = load<i32>(col, COL_NAME_LEN);
        if (!room(<usize>len)) return fail(pc, ERR_STATEMENT_TOO_LONG);
        putPool(load<i32>(col, COL_NAME_OFF), len);
        pc += 8;
        break;
      }
      case OP_COL_NAMES: {
        // The whole loop EACH_BEGIN, LIT_COL_NAME/COL_NAME, EACH_NEXT: no draws,
        // the same bytes and checks, the loop column left on the last one.
        const list = listAt(word(pc, 1));
        const n = load<i32>(list);
        const leadLen = word(pc, 8);
        if (!room(<usize> leadLen)) return fail(pc, ERR_STATEMENT_TOO_LONG);
        putPool(word(pc, 7), leadLen);
        if (n > 0) {
          if (loopTop >= MAX_LOOPS) return fail(pc, ERR_LOOP_DEPTH);
          const sepLen = word(pc, 4);
          const preLen = word(pc, 6);
          let col: usize = 0;
          for (let i = 0; i < n; i++) {
            if (i > 0) {
              if (!room(<usize> sepLen)) return fail(pc, ERR_STATEMENT_TOO_LONG);
              putPool(word(pc, 3), sepLen);
            }
            col = <usize> load<i32>(list + (<usize> (1 + i) << 2));
            const nameLen = load<i32>(col, COL_NAME_LEN);
            if (!room(<usize> (preLen + nameLen))) return fail(pc, ERR_STATEMENT_TOO_LONG);
            putPool(word(pc, 5), preLen);
            putPool(load<i32>(col, COL_NAME_OFF), nameLen);
          }
          store<i32>(columnReg(word(pc, 2)), <i32> col);
        }
        pc += 36;
        break;
      }
      case OP_LIT_COL_NAME: {
        const col = <usize>load<i32>(columnReg(word(pc, 3)));
        const len = word(pc, 2);
        const nameLen = load<i32>(col, COL_NAME_LEN);
        if (!room(<usize>(len + nameLen))) return fail(pc, ERR_STATEMENT_TOO_LONG);
        putPool(word(pc, 1), len);
        putPool(load<i32>(col, COL_NAME_OFF), nameLen);
        pc += 16;
        break;
      }
      case OP_COL_TYPE: {
        const col = <usize> load<i32>(columnReg(word(pc, 1)));
        const len = load<i32>(col, COL_TYPE_LEN);
        if (!room(<usize>len)) return fail(pc, ERR_STATEMENT_TOO_LONG);
        putPool(load<i32>(col, COL_TYPE_OFF), len);
        pc += 8;
        break;
      }
      case OP_COL_LIT: {
        const col = <usize> load<i32>(columnReg(word(pc, 1)));
        if (!room(0)) return fail(pc, ERR_STATEMENT_TOO_LONG);
        colLit(col, <u32> word(pc, 2));
        pc += 12;
        break;
      }
      case OP_COL_UNIQUE: {
        const col = <usize> load<i32>(columnReg(word(pc, 1)));
        if (!room(0)) return fail(pc, ERR_STATEMENT_TOO_LONG);
        if (uniqueCount >= <u32>MAX_UNIQUE) return fail(pc, ERR_TOO_MANY_UNIQUE);
        // A column too narrow for every unique value gets an ordinary literal.
        if ((load<i32>(col, COL_ATTR) & A_UNIQUE_CAPABLE) != 0) putUniqueLiteral(col, uniqueValue(index, uniqueCount++));
        else putLiteral(col);
        pc += 8;
        break;
      }
      case OP_SWITCH_COL: {
        const col = <usize> load<i32>(columnReg(word(pc, 1)));
        const t = switchEntry(<usize> word(pc, 2), col);
        if (t >= 0) {
          pc = at(t);
          if (load<i32>(pc) == OP_CHOICE) {
            if (tracing) trace(pc);
            pc = at(pickChoice(pc, maxDepth - depth));
          }
          break;
        }
        pc = at(~t);
        if (!room(0)) return fail(pc, ERR_STATEMENT_TOO_LONG);
        colLit(col, <u32> word(pc, 2));
        pc += 12;
        break;
      }
      case OP_EACH_NEXT_SW: {
        const top = loopAt(loopTop - 1);
        const i = load<i32>(top) + 1;
        const list = <usize> load<i32>(top, 4);
        if (i < load<i32>(list)) {
          store<i32>(top, i);
          const col = <usize> load<i32>(list + (<usize> (1 + i) << 2));
          store<i32>(columnReg(load<i32>(top, 8)), <i32> col);
          if (!room(<usize> word(pc, 2))) return fail(pc, ERR_STATEMENT_TOO_LONG);
          putPool(word(pc, 1), word(pc, 2));
          const t = switchEntry(<usize> word(at(word(pc, 3)), 2), col);
          if (t >= 0) {
            pc = at(t);
            break;
          }
          pc = at(~t);
          if (!room(0)) return fail(pc, ERR_STATEMENT_TOO_LONG);
          colLit(col, <u32> word(pc, 2));
          pc += 12;
        } else {
          loopTop--;
          pc += 16;
        }
        break;
      }
      case OP_PICK_FK: {
        const table = <usize> load<i32>(tableSlot(word(pc, 2)));
        const n = load<u32>(table, 16);
        if (n == 0) {
          pc = at(word(pc, 4));
          break;
        }
        const fk = <usize> load<i32>(table, 20) + <usize> below32(n) * 72;
        store<i32>(fkReg(word(pc, 1)), <i32> fk);
        store<i32>(tableSlot(word(pc, 3)), load<i32>(fk, 4));
        pc += 20;
        break;
      }
      case OP_FK_BEGIN: {
        const fk = <usize> load<i32>(fkReg(word(pc, 1)));
        if (loopTop >= MAX_LOOPS) return fail(pc, ERR_LOOP_DEPTH);
        const top = loopAt(loopTop);
        store<i32>(top, 0);
        store<i32>(top, <i32> fk, 4);
        store<i32>(top, word(pc, 2), 8);
        store<i32>(top, word(pc, 3), 12);
        loopTop++;
        store<i32>(columnReg(word(pc, 2)), load<i32>(fk, 8));
        store<i32>(columnReg(word(pc, 3)), load<i32>(fk, 8 + (<usize> FK_MAX_PAIRS << 2)));
        pc += 20;
        break;
      }
      case OP_FK_NEXT: {
        const top = loopAt(loopTop - 1);
        const i = load<i32>(top) + 1;
        const fk = <usize> load<i32>(top, 4);
        if (i < load<i32>(fk)) {
          store<i32>(top, i);
          store<i32>(columnReg(load<i32>(top, 8)), load<i32>(fk + 8 + (<usize> i << 2)));
          store<i32>(columnReg(load<i32>(top, 12)), load<i32>(fk + 8 + (<usize> (FK_MAX_PAIRS + i) << 2)));
          if (!room(<usize> word(pc, 2))) return fail(pc, ERR_STATEMENT_TOO_LONG);
          putPool(word(pc, 1), word(pc, 2));
          pc = at(word(pc, 3));
        } else {
          loopTop--;
          pc += 16;
        }
        break;
      }
      case OP_POOL: {
        const n = <u32> word(pc, 1);
        const e = pc + 8 + (<usize> below32(n) << 3);
        const len = load<i32>(e, 4);
        if (!room(<usize> len)) return fail(pc, ERR_STATEMENT_TOO_LONG);
        putPool(load<i32>(e), len);
        pc += 8 + (<usize> n << 3);
        break;
      }
      case OP_HALT:
        return 0;
      case OP_FAIL:
        return fail(pc, ERR_NO_CANDIDATE);
      default:
        return fail(pc, ERR_BAD_OPCODE);
    }
  }
  return 0;
}

// @ts-ignore: decorator
@inline function below64(n: u64): u64 {
  return n <= 0xffffffff ? ((next() >> 32) * n) >> 32 : mulHighNext(n);
}

function mulHighNext(n: u64): u64 {
  const x = next();
  const aLo = x & 0xffffffff, aHi = x >> 32;
  const bLo = n & 0xffffffff, bHi = n >> 32;
  const ll = aLo * bLo;
  const lh = aLo * bHi;
  const hl = aHi * bLo;
  const mid = (ll >> 32) + (lh & 0xffffffff) + (hl & 0xffffffff);
  return aHi * bHi + (lh >> 32) + (hl >> 32) + (mid >> 32);
}

/**
 * Expands attempt `attempt` of statement `idx` at the cursor, from the RNG
 * state (seed, idx, attempt); returns 0 or an error code (errorPc says where).
 */
export function runStatement(idx: u64, attempt: u32): i32 {
  index = idx;
  uniqueCount = 0;
  seedStatement(idx, attempt);
  return run();
}

/** Start of this instance's worker scratch. */
export function vmScratch(): usize {
  return scratch;
}

function fail(pc: usize, code: i32): i32 {
  errorPc = <i32> ((pc - codeBase) >> 2);
  return code;
}
