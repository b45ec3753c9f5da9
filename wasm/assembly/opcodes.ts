// Instruction set of the grammar VM. Mirrored in `wasm/opcodes.ts` (checked by
// `wasm/layout_test.ts`). Operands follow the opcode as i32 words; targets are
// word indices into the code array.

export const OP_HALT: i32 = 0; //        end of statement
export const OP_LIT: i32 = 1; //         off len
export const OP_CALL: i32 = 2; //        target
export const OP_RET: i32 = 3; //
export const OP_JMP: i32 = 4; //         target
export const OP_CHOICE: i32 = 5; //      n total maxHeight, n x (cumWeight target height)
export const OP_NUM: i32 = 6; //         loLo loHi spanLo spanHi
export const OP_MAYBE: i32 = 7; //       threshold(u32) height skipTarget
export const OP_REP_BEGIN: i32 = 8; //   min max height exitTarget
export const OP_REP_NEXT: i32 = 9; //    sepOff sepLen bodyTarget
export const OP_UNIQUE: i32 = 10; //
export const OP_PICK_TABLE: i32 = 11; // slot listAddr elseTarget
export const OP_TABLE_NAME: i32 = 12; // slot
export const OP_PICK_COLS: i32 = 13; //  list tableSlot masks min max mode elseTarget (mode: 1 required, 2 all)
export const OP_PICK_COL: i32 = 14; //   colReg tableSlot masks elseTarget
export const OP_EACH_BEGIN: i32 = 15; // list colReg exitTarget
export const OP_EACH_NEXT: i32 = 16; //  sepOff sepLen bodyTarget
export const OP_COL_NAME: i32 = 17; //   colReg
export const OP_COL_LIT: i32 = 18; //    colReg nullThreshold(u32)
export const OP_COL_UNIQUE: i32 = 19; // colReg
export const OP_COL_TYPE: i32 = 20; //   colReg
// 21: retired (the matching SWITCH, now decided by the compiler: SWITCH_COL)
export const OP_PICK_FK: i32 = 22; //    fkReg fromSlot toSlot elseTarget
export const OP_FK_BEGIN: i32 = 23; //   fkReg childReg parentReg exitTarget
export const OP_FK_NEXT: i32 = 24; //    sepOff sepLen bodyTarget
export const OP_POOL: i32 = 25; //       n, n x (off len)
export const OP_FAIL: i32 = 26; //       a pick without a fallback found nothing
export const OP_LIT_COL_NAME: i32 = 27; // off len colReg: a literal, then the column's name
export const OP_SWITCH_COL: i32 = 28; // colReg targetsAddr: SWITCH decided at compile time, one target per column ordinal
//                                    (~target: the target is a COL_LIT of that column, run inline)
export const OP_EACH_NEXT_SW: i32 = 29; // sepOff sepLen bodyTarget: EACH_NEXT whose body is a SWITCH_COL on its column, taken at once
export const OP_COL_NAMES: i32 = 30; // list colReg sepOff sepLen preOff preLen leadOff leadLen: [lead] then an eachColumn of prefix + name
// A LIT fused with the instruction after it (the compiler joins them when no jump lands between):
export const OP_LIT_TABLE_NAME: i32 = 31; // off len slot
export const OP_LIT_UNIQUE: i32 = 32; //     off len
export const OP_LIT_COL_LIT: i32 = 33; //    off len colReg nullThreshold(u32)
export const OP_COUNT: i32 = 34;

// VM status codes returned by gen_block (0 = ok).
export const ERR_NONE: i32 = 0;
export const ERR_STATEMENT_TOO_LONG: i32 = 1;
export const ERR_NO_CANDIDATE: i32 = 2;
export const ERR_CALL_DEPTH: i32 = 3;
export const ERR_LOOP_DEPTH: i32 = 4;
export const ERR_BAD_OPCODE: i32 = 5;
export const ERR_TOO_MANY_UNIQUE: i32 = 6;
export const ERR_FILTER_FULL: i32 = 7;

/** unique() values one statement may draw (they are keyed by index << 8 | n). */
export const MAX_UNIQUE: i32 = 256;
/** Statement indices stay below this, so unique values never collide. */
export const MAX_INDEX_BITS: i32 = 55;

// Column types.
export const T_INT2: i32 = 1;
export const T_INT4: i32 = 2;
export const T_INT8: i32 = 3;
export const T_NUMERIC: i32 = 4;
export const T_FLOAT4: i32 = 5;
export const T_FLOAT8: i32 = 6;
export const T_TEXT: i32 = 7;
export const T_VARCHAR: i32 = 8;
export const T_CHAR: i32 = 9;
export const T_BOOL: i32 = 10;
export const T_DATE: i32 = 11;
export const T_TIMESTAMP: i32 = 12;
export const T_TIMESTAMPTZ: i32 = 13;
export const T_TIME: i32 = 14;
export const T_INTERVAL: i32 = 15;
export const T_UUID: i32 = 16;
export const T_JSONB: i32 = 17;
export const T_BYTEA: i32 = 18;
export const T_INET: i32 = 19;
export const T_ENUM: i32 = 20;
// One of the column's typed SQL literals (its vocabulary), emitted verbatim.
export const T_SQL: i32 = 21;

// Column attribute bit the VM itself reads (the others are matched as masks).
export const A_NULLABLE: i32 = 1 << 16;
export const A_REQUIRED: i32 = 1 << 17;
export const A_UNIQUE_CAPABLE: i32 = 1 << 23;

// Uniqueness filter modes (filter.ts).
export const FILTER_NONE: i32 = 0;
export const FILTER_BLOOM: i32 = 1;
export const FILTER_EXACT: i32 = 2;
