// Memory layout: TypeScript mirror of `wasm/assembly/layout.ts`, which holds the
// explanation. `wasm/layout_test.ts` checks every value against the module.

export const STATIC_BYTES = 65536;
export const PROGRAM_BASE = STATIC_BYTES;
export const SCRATCH_BYTES = 65536;
export const BUFFERS_PER_WORKER = 8;
export const BLOCK_RING = 1024;
export const CONTROL_HEADER_BYTES = 16 + BLOCK_RING * 4;
export const CONTROL_SLOT_WORDS = 8;

export const SCR_CALLS = 0; //       MAX_CALL_DEPTH x i32 return pc
export const MAX_CALL_DEPTH = 256;
export const SCR_LOOPS = 1024; //    MAX_LOOPS x 4 i32
export const MAX_LOOPS = 128;
export const SCR_TABLES = 3072; //   SLOTS x i32 table record address
export const SCR_COLUMNS = 3200; //  SLOTS x i32 column record address
export const SCR_FKS = 3328; //      SLOTS x i32 fk record address
export const SCR_LISTS = 3456; //    LIST_SLOTS x (1 + MAX_LIST) i32
export const SLOTS = 32;
export const LIST_SLOTS = 16;
export const MAX_LIST = 64;
export const SCR_BATCH = 7616; //    BATCH_MAX x 32 bytes: statements awaiting the bloom filter
export const BATCH_MAX = 16;
export const SCR_TRACE = 8128; //   MAX_TRACE x i32 code words of the CALLs and CHOICEs a traced statement ran
export const MAX_TRACE = 2048;
export const SCR_END = 16320;
export const SCR_VALUE_REGS = 16384; //   value model: REG_BANKS x 128 registers of 32 bytes
export const SCR_VALUE_CURSORS = 32768; // REG_BANKS x 32 bytes: per_parent cursors
export const SCR_ARENA = 32896; //        composed text of the current row
export const SCR_ARENA_END = 65472;

export const TABLE_WORDS = 8;
export const COLUMN_WORDS = 18;
export const FK_WORDS = 18;
export const FK_MAX_PAIRS = 8;

// Control slot words.
export const CTL_STATE = 0; // 0 EMPTY, 1 FULL
export const CTL_LENGTH = 1; // bytes in the buffer
export const CTL_LAST = 2; // 1 when this chunk ends its block
export const CTL_ERROR = 3; // 0 or a VM error code
export const CTL_COUNT = 4; // statements in the chunk
export const CTL_ERROR_PC = 5; // code word index where the error arose
export const CTL_EMITTED = 6; // statements written (count minus those the filter gave up on)
export const CTL_REJECTED = 7; // candidates the filter rejected as seen before
