// The one description of Quarry's shared WebAssembly.Memory. Mirrored in
// `wasm/layout.ts`; `wasm/layout_test.ts` checks the two agree through the
// constants this file exports.
//
//  byte 0
//  +--------------------------------------------------------------+
//  | STATIC (64 KiB)  AssemblyScript data segments. Owned by the   |
//  |                  module; every instance writes the same bytes. |
//  +--------------------------------------------------------------+ PROGRAM_BASE
//  | PROGRAM          written once by the main thread before any    |
//  |                  worker starts, read-only afterwards:          |
//  |                  code (i32 words), string pool (UTF-8), table, |
//  |                  column and foreign-key records, candidate     |
//  |                  lists, vocabularies. Size: program.byteLength |
//  +--------------------------------------------------------------+ control base
//  | CONTROL          all used with Atomics:                        |
//  |                  +0  next block to claim (i64, workers add 1)  |
//  |                  +8  blocks written out (i64, main thread)     |
//  |                  +16 BLOCK_RING i32: worker + 1 that claimed   |
//  |                      block b, at b % BLOCK_RING; 0 = free. The  |
//  |                      claimer writes it once fewer than         |
//  |                      BLOCK_RING blocks are pending; the main    |
//  |                      thread clears it after writing b out.     |
//  |                  then per worker, BUFFERS_PER_WORKER slots of  |
//  |                  CONTROL_SLOT_WORDS i32: state, length, last,  |
//  |                  error, count, error pc.                       |
//  +--------------------------------------------------------------+ worker base (w)
//  | WORKER w         SCRATCH_BYTES of VM registers and stacks,     |
//  |  (one per        then BUFFERS_PER_WORKER output buffers of      |
//  |   worker)        the job's buffer size. Only worker w writes   |
//  |                  them; the main thread reads a buffer while    |
//  |                  its slot is FULL and hands it back as EMPTY.   |
//  |                  A worker fills its slots in order, one block   |
//  |                  after another, so the main thread finds block  |
//  |                  b's chunks next in the claimer's slot order.   |
//  +--------------------------------------------------------------+ filter base
//  | FILTER           optional (--unique bloom|exact): bloom words  |
//  |                  or exact slots, shared by all workers, only   |
//  |                  touched with atomics (see filter.ts).         |
//  +--------------------------------------------------------------+
//
// Records (all i32 words, addresses are absolute byte offsets):
//   table   TABLE_WORDS:  nameOff nameLen colCount colsAddr fkCount fksAddr flags index
//   column  COLUMN_WORDS: nameOff nameLen type attr loLo loHi spanLo spanHi
//                         length scale vocabAddr vocabCount typeOff typeLen table index
//                         ordinal (the column's number among all the program's columns)
//   fk      FK_WORDS:     pairCount parentTable childCol[8] parentCol[8]
//                         (column record addresses)
//   vocab:  vocabCount pairs of (off, len) into the string pool; entries are
//           already valid inside a single-quoted SQL string.
//   switch: per SWITCH_COL instruction, i32 code word of the case each
//           column takes, indexed by column ordinal.
//   masks:  per column-picking instruction, 16 bytes per table index: u64
//           bits of the columns matching its filter, u64 bits of the
//           required columns (bit i = column i, first 64 columns).
//
// Scratch (per worker, offsets from its base):
export const STATIC_BYTES: i32 = 65536;
export const PROGRAM_BASE: i32 = STATIC_BYTES;
export const SCRATCH_BYTES: i32 = 65536;
export const BUFFERS_PER_WORKER: i32 = 8;
export const BLOCK_RING: i32 = 1024;
export const CONTROL_HEADER_BYTES: i32 = 16 + BLOCK_RING * 4;
export const CONTROL_SLOT_WORDS: i32 = 8;

export const SCR_CALLS: i32 = 0; //       MAX_CALL_DEPTH x i32 return pc
export const MAX_CALL_DEPTH: i32 = 256;
export const SCR_LOOPS: i32 = 1024; //    MAX_LOOPS x 4 i32
export const MAX_LOOPS: i32 = 128;
export const SCR_TABLES: i32 = 3072; //   SLOTS x i32 table record address
export const SCR_COLUMNS: i32 = 3200; //  SLOTS x i32 column record address
export const SCR_FKS: i32 = 3328; //      SLOTS x i32 fk record address
export const SCR_LISTS: i32 = 3456; //    LIST_SLOTS x (1 + MAX_LIST) i32
export const SLOTS: i32 = 32;
export const LIST_SLOTS: i32 = 16;
export const MAX_LIST: i32 = 64;
export const SCR_BATCH: i32 = 7616; //    BATCH_MAX x 32 bytes: statements awaiting the bloom filter
export const BATCH_MAX: i32 = 16;
export const SCR_TRACE: i32 = 8128; //   MAX_TRACE x i32 code words of the CALLs and CHOICEs a traced statement ran
export const MAX_TRACE: i32 = 2048;
export const SCR_END: i32 = 16320;
// The value model (rows.ts, values.ts) uses the rest of the scratch:
export const SCR_VALUE_REGS: i32 = 16384; //   REG_BANKS x 128 registers of 32 bytes
export const SCR_VALUE_CURSORS: i32 = 32768; // REG_BANKS x 32 bytes: per_parent cursors
export const SCR_ARENA: i32 = 32896; //        composed text of the current row
export const SCR_ARENA_END: i32 = 65472;

export const TABLE_WORDS: i32 = 8;
export const COLUMN_WORDS: i32 = 18;
export const FK_WORDS: i32 = 18;
export const FK_MAX_PAIRS: i32 = 8;

// Control slot words.
export const CTL_STATE: i32 = 0; // 0 EMPTY, 1 FULL
export const CTL_LENGTH: i32 = 1; // bytes in the buffer
export const CTL_LAST: i32 = 2; // 1 when this chunk ends its block
export const CTL_ERROR: i32 = 3; // 0 or a VM error code
export const CTL_COUNT: i32 = 4; // statements in the chunk
export const CTL_ERROR_PC: i32 = 5; // code word index where the error arose
export const CTL_EMITTED: i32 = 6; // statements written (count minus those the filter gave up on)
export const CTL_REJECTED: i32 = 7; // candidates the filter rejected as seen before
