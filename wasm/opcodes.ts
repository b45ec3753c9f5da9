// VM instruction set and codes: TypeScript mirror of `wasm/assembly/opcodes.ts`, which holds the
// explanation. `wasm/layout_test.ts` checks every value against the module.

// Instruction set of the grammar VM. Mirrored in `wasm/opcodes.ts` (checked by
// `wasm/layout_test.ts`). Operands follow the opcode as i32 words; targets are
// word indices into the code array.

export const OP_HALT = 0; //        end of statement
export const OP_LIT = 1; //         off len
export const OP_CALL = 2; //        target
export const OP_RET = 3; //
export const OP_JMP = 4; //         target
export const OP_CHOICE = 5; //      n total maxHeight, n x (cumWeight target height)
export const OP_NUM = 6; //         loLo loHi spanLo spanHi
export const OP_MAYBE = 7; //       threshold(u32) height skipTarget
export const OP_REP_BEGIN = 8; //   min max height exitTarget
export const OP_REP_NEXT = 9; //    sepOff sepLen bodyTarget
export const OP_UNIQUE = 10; //
export const OP_PICK_TABLE = 11; // slot listAddr elseTarget
export const OP_TABLE_NAME = 12; // slot
export const OP_PICK_COLS = 13; //  list tableSlot masks min max mode elseTarget (mode: 1 required, 2 all)
export const OP_PICK_COL = 14; //   colReg tableSlot masks elseTarget
export const OP_EACH_BEGIN = 15; // list colReg exitTarget
export const OP_EACH_NEXT = 16; //  sepOff sepLen bodyTarget
export const OP_COL_NAME = 17; //   colReg
export const OP_COL_LIT = 18; //    colReg nullThreshold(u32)
export const OP_COL_UNIQUE = 19; // colReg
export const OP_COL_TYPE = 20; //   colReg
// 21: retired (the matching SWITCH, now decided by the compiler: SWITCH_COL)
export const OP_PICK_FK = 22; //    fkReg fromSlot toSlot elseTarget
export const OP_FK_BEGIN = 23; //   fkReg childReg parentReg exitTarget
export const OP_FK_NEXT = 24; //    sepOff sepLen bodyTarget
export const OP_POOL = 25; //       n, n x (off len)
export const OP_FAIL = 26; //       a pick without a fallback found nothing
export const OP_LIT_COL_NAME = 27; // off len colReg: a literal, then the column's name
export const OP_SWITCH_COL = 28; // colReg targetsAddr: SWITCH decided at compile time, one target per column ordinal
export const OP_EACH_NEXT_SW = 29; // sepOff sepLen bodyTarget: EACH_NEXT whose body is a SWITCH_COL on its column, taken at once
export const OP_COL_NAMES = 30; // list colReg sepOff sepLen preOff preLen leadOff leadLen: [lead] then an eachColumn of prefix + name
// A LIT fused with the instruction after it (the compiler joins them when no jump lands between):
export const OP_LIT_TABLE_NAME = 31; // off len slot
export const OP_LIT_UNIQUE = 32; //     off len
export const OP_LIT_COL_LIT = 33; //    off len colReg nullThreshold(u32)
export const OP_COUNT = 34;

// VM status codes returned by gen_block (0 = ok).
export const ERR_NONE = 0;
export const ERR_STATEMENT_TOO_LONG = 1;
export const ERR_NO_CANDIDATE = 2;
export const ERR_CALL_DEPTH = 3;
export const ERR_LOOP_DEPTH = 4;
export const ERR_BAD_OPCODE = 5;
export const ERR_TOO_MANY_UNIQUE = 6;
export const ERR_FILTER_FULL = 7;

/** unique() values one statement may draw (they are keyed by index << 8 | n). */
export const MAX_UNIQUE = 256;
/** Statement indices stay below this, so unique values never collide. */
export const MAX_INDEX_BITS = 55;

// Column types.
export const T_INT2 = 1;
export const T_INT4 = 2;
export const T_INT8 = 3;
export const T_NUMERIC = 4;
export const T_FLOAT4 = 5;
export const T_FLOAT8 = 6;
export const T_TEXT = 7;
export const T_VARCHAR = 8;
export const T_CHAR = 9;
export const T_BOOL = 10;
export const T_DATE = 11;
export const T_TIMESTAMP = 12;
export const T_TIMESTAMPTZ = 13;
export const T_TIME = 14;
export const T_INTERVAL = 15;
export const T_UUID = 16;
export const T_JSONB = 17;
export const T_BYTEA = 18;
export const T_INET = 19;
export const T_ENUM = 20;
export const T_SQL = 21; // one of the column's typed sample literals, verbatim

// Column attribute bit the VM itself reads (the others are matched as masks).
export const A_NULLABLE = 1 << 16;
export const A_REQUIRED = 1 << 17;
export const A_UNIQUE_CAPABLE = 1 << 23;

// Uniqueness filter modes (filter.ts).
export const FILTER_NONE = 0;
export const FILTER_BLOOM = 1;
export const FILTER_EXACT = 2;
