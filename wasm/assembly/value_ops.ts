// The value model's instruction set: how a table's row program is laid out
// in the PROGRAM region and which operations draw its values. Mirrored in
// `wasm/value_ops.ts` (checked by `wasm/layout_test.ts`); written by
// `core/values/program.ts`, run by `rows.ts` and `values.ts`.
//
// A row program is a list of value ops, each drawing one register (or, for a
// foreign key, one register per key column) from an RNG seeded by (seed,
// table key, row, op key): a value never depends on the draws of another op,
// only on the registers it names, so a parent's key can be recomputed for
// any parent row, and adding a column changes no other column.
//
// Table record (i32 words; u64 fields at even words):
//   RT_OPS, RT_OP_COUNT      the op list (addresses of ops, in draw order)
//   RT_OUT, RT_OUT_COUNT     output entries, OUT_WORDS each, in column order
//   RT_KEY (u64)             mixed into every seed of this table
//   RT_ROWS (u64)            rows of the table
//   RT_DRIVE                 the per_parent foreign key op, or 0
//   RT_FORMAT, RT_DELIM      output format (F_*) and CSV delimiter byte
//   RT_HEAD_OFF/LEN          SQL: "INSERT INTO t (a, b) VALUES\n" in the pool
//   RT_BATCH                 SQL: rows per INSERT statement
//   RT_PREFIX                per_parent: u64 children before parent block b (PREFIX_BLOCK parents a block)
//   RT_PARENT_ROWS (u64)     per_parent: rows of the driving parent
//
// Op header (i32 words): code, reg, null threshold (u32 of 2^32; 0 = never
// NULL), op key, words in this op; arguments follow at word OP_ARGS.
//
// Output entry (OUT_WORDS i32): reg, temporal format (TF_*), format text
// off, len (strftime), key off, len (the JSON object key, already quoted),
// column batch kind (BK_*), most text bytes a value takes (F_COLUMNS), and
// assignment off, len (F_SET: the quoted column name and " = ").
//
// Register (REG_BYTES, per bank): +0 kind (K_*), +4 scale (K_DEC) or flags
// (K_TEXT: 1 = emit unquoted, it is a number or boolean), +8 i64 value or
// text address (u32) and +12 length, +16 u64 (K_UUID low half), +24 choice
// index (distincts, tuples, vocabularies), +28 second choice (full names).

export const RT_OPS: i32 = 0;
export const RT_OP_COUNT: i32 = 1;
export const RT_OUT: i32 = 2;
export const RT_OUT_COUNT: i32 = 3;
export const RT_KEY: i32 = 4;
export const RT_ROWS: i32 = 6;
export const RT_DRIVE: i32 = 8;
export const RT_FORMAT: i32 = 9;
export const RT_DELIM: i32 = 10;
export const RT_HEAD_OFF: i32 = 11;
export const RT_HEAD_LEN: i32 = 12;
export const RT_BATCH: i32 = 13;
export const RT_PREFIX: i32 = 14;
export const RT_PARENT_ROWS: i32 = 16;
export const RT_WORDS: i32 = 18;

export const OP_ARGS: i32 = 5;
export const OUT_WORDS: i32 = 10;
export const REG_BYTES: i32 = 32;
export const PREFIX_BLOCK: i32 = 64;

// Register kinds.
export const K_NULL: i32 = 0;
export const K_INT: i32 = 1;
export const K_DEC: i32 = 2; //  i64 count of 10^-scale
export const K_TEXT: i32 = 3;
export const K_BOOL: i32 = 4;
export const K_DATE: i32 = 5; // days since 1970-01-01
export const K_TS: i32 = 6; //   seconds since 1970-01-01 00:00:00
export const K_UUID: i32 = 7;

// Output formats.
export const F_CSV: i32 = 1;
export const F_COPY: i32 = 2; // PostgreSQL COPY text
export const F_NDJSON: i32 = 3;
export const F_JSON: i32 = 4; // one JSON array: rows after the first start with ",\n"
export const F_SQL: i32 = 5; //  multi-row INSERT, RT_BATCH rows a statement
// Column batches (Arrow layout, see core/data/batch.ts): a chunk is a header
// of i32 words — rows, then per output entry its values, offsets, validity
// and data-length words (byte offsets from the chunk start) — then the
// regions. Fixed-width values are little-endian; uuids 16 bytes big-endian.
export const F_COLUMNS: i32 = 6;
// The SET list of an UPDATE: `"a" = v, "b" = v` for the output entries whose
// bit is set in the output mask (setOutputMask), then ";\n".
export const F_SET: i32 = 7;
// Parameters of a Bind message (the extended protocol): for each output
// entry in the output mask, an i32 big-endian byte length (-1: NULL) and the
// value as text, unquoted and unescaped.
export const F_BIND: i32 = 8;

// Column batch kinds of an output entry (F_COLUMNS).
export const BK_BOOL: i32 = 1;
export const BK_INT16: i32 = 2;
export const BK_INT32: i32 = 3;
export const BK_INT64: i32 = 4;
export const BK_FLOAT64: i32 = 5;
export const BK_DECIMAL: i32 = 6; //   int64 count of 10^-scale
export const BK_UTF8: i32 = 7;
export const BK_DATE: i32 = 8; //      int32 days
export const BK_TIMESTAMP: i32 = 9; // int64 microseconds
export const BK_UUID: i32 = 10;

// Temporal formats of an output entry.
export const TF_SQL: i32 = 0;
export const TF_ISO: i32 = 1;
export const TF_EPOCH: i32 = 2;
export const TF_EPOCH_MS: i32 = 3;
export const TF_STRFTIME: i32 = 4;

// Value ops (arguments after the header, i32 words; f64/i64 8-byte aligned
// pairs of words written as two words each):
export const V_INT: i32 = 1; //       lo(i64) span(u64) dist
export const V_DEC: i32 = 2; //       lo(f64) hi(f64) scale dist: a float rounded to `scale` decimals
export const V_BOOL: i32 = 3; //      threshold(u32)
export const V_NULL: i32 = 4; //
export const V_PICK: i32 = 5; //      list raw: one entry of a weighted list (alias table)
export const V_CORRELATED: i32 = 6; // onReg n default, n x list: the list chosen by onReg's choice
export const V_TUPLE: i32 = 7; //     list raw: picks a tuple; the first member's value
export const V_MEMBER: i32 = 8; //    srcReg member list raw: member of srcReg's chosen tuple
export const V_SEQUENCE: i32 = 9; //  start(i64) prefixOff prefixLen width
export const V_UUID4: i32 = 10; //
export const V_UUID7: i32 = 11; //    fromMs(i64) spanMs(u64)
export const V_HASH: i32 = 12; //     length alphabetOff alphabetLen
export const V_TEMPORAL: i32 = 13; // kind lo(i64) span(u64) dist ordered
export const V_AFTER: i32 = 14; //    srcReg kind unit lagLo(i64) lagSpan(u64) dist
// 15 is free (vocabularies are V_PICK lists without an alias table).
export const V_FULL_NAME: i32 = 16; // firstList lastList
export const V_EMAIL: i32 = 17; //    fromReg firstSlugs lastSlugs domains (fromReg -1: names drawn here)
export const V_PATTERN: i32 = 18; //  pattern program address
export const V_DERIVED: i32 = 19; //  resultKind scale n, n x expression words
// V_REFERENCE: mode parentTable dist windowRows countDist countLo(i64) countSpan(u64)
//   nOps, nOps x parent op (the parent's key ops and what they depend on, in
//   draw order), keyCount, keyCount x parent register to copy.
export const V_REFERENCE: i32 = 20;
export const V_ORDINAL: i32 = 21; //  1-based position under the per_parent parent
export const V_IPV4: i32 = 22; //
export const V_IPV6: i32 = 23; //
export const V_NOW: i32 = 24; //      the host's clock (setClock), milliseconds since 1970: streaming's creation stamp
export const V_COUNT: i32 = 25;

// Reference modes.
export const RM_DRAW: i32 = 0; //     a parent drawn from dist over all parent rows
export const RM_DRIVE: i32 = 1; //    the per_parent parent (children per parent from dist: param = min, span at +1)
export const RM_ONE: i32 = 2; //      parent row = child row
export const RM_WINDOW: i32 = 3; //   among the `param` parents created before this child's position
export const RM_SELF: i32 = 4; //     an earlier row of the same table (row 0: NULL)
export const RM_DISTINCT: i32 = 5; // distinct parents within one per_parent parent

// Distribution record (8-byte aligned): type, list (weighted: alias table), p0(f64), p1(f64).
export const D_UNIFORM: i32 = 0;
export const D_NORMAL: i32 = 1; //      p0 mean, p1 stddev
export const D_LOGNORMAL: i32 = 2; //   p0 mu, p1 sigma
export const D_EXPONENTIAL: i32 = 3; // p0 rate
export const D_POISSON: i32 = 4; //     p0 lambda
export const D_ZIPF: i32 = 5; //        p0 exponent
export const D_WEIGHTED: i32 = 6; //    list: alias table over equal-width buckets

// Expression words (V_DERIVED): a stack machine over f64.
export const X_CONST: i32 = 1; //  f64 (two words)
export const X_REG: i32 = 2; //    reg
export const X_ADD: i32 = 3;
export const X_SUB: i32 = 4;
export const X_MUL: i32 = 5;
export const X_DIV: i32 = 6;
export const X_MOD: i32 = 7;
export const X_NEG: i32 = 8;
export const X_ROUND: i32 = 9; //  digits
export const X_ABS: i32 = 10;
export const X_FLOOR: i32 = 11;
export const X_CEIL: i32 = 12;
export const X_LEAST: i32 = 13; // n
export const X_GREATEST: i32 = 14; // n
export const X_DECIMAL: i32 = 15; // f64 (two words), scaled i64 (two words), scale: an exact decimal constant

// Pattern words (V_PATTERN), a tree: P_LIT off len | P_CLASS off n |
// P_SEQ n words | P_ALT n, n x words-of-option | P_REPEAT min max words.
export const P_LIT: i32 = 1;
export const P_CLASS: i32 = 2;
export const P_SEQ: i32 = 3;
export const P_ALT: i32 = 4;
export const P_REPEAT: i32 = 5;

// Row-kernel status codes (lastError).
export const ERR_ROW_TOO_LONG: i32 = 20;
export const ERR_BAD_VALUE_OP: i32 = 21;
export const ERR_REFERENCE_DEPTH: i32 = 22;
