/**
 * Lays a compiled grammar out as one image for the PROGRAM region: code,
 * table, column and foreign-key records, candidate lists, switch tables,
 * column masks, vocabularies and the string pool (the map is drawn in
 * wasm/assembly/layout.ts).
 *
 * @module
 */
import type { Grammar, UniqueMode } from "../dsl/grammar.ts";
import type { Analysis } from "./analyze.ts";
import type { ResolvedTable } from "./columns.ts";
import { vocabulary } from "../vocab/vocabularies.ts";
import * as op from "../../wasm/opcodes.ts";
import { COLUMN_WORDS, FK_MAX_PAIRS, FK_WORDS, PROGRAM_BASE, TABLE_WORDS } from "../../wasm/layout.ts";

/** A compiled grammar, ready to be copied to PROGRAM_BASE. */
export interface Program {
  grammar: string;
  /** Bytes of the PROGRAM region. */
  image: Uint8Array;
  codeAddr: number;
  poolAddr: number;
  startWord: number;
  maxDepth: number;
  maxStatementBytes: number;
  uniqueByConstruction: boolean;
  /** The grammar's declared default uniqueness (`GrammarOptions.unique`), if any. */
  defaultUnique?: UniqueMode;
  /**
   * A data table's row program (core/values/): `codeAddr` is then its table
   * record, and each "statement" is one row.
   */
  rows?: boolean;
  /** The rule whose code holds word `pc`, for error messages. */
  ruleAt(pc: number): string | undefined;
}

const HEADER_BYTES = 64;

/** Strings of the program, each stored once. */
export class Pool {
  bytes: number[] = [];
  #seen = new Map<string, number>();
  #enc = new TextEncoder();

  add(s: string): [number, number] {
    const b = this.#enc.encode(s);
    const hit = this.#seen.get(s);
    if (hit !== undefined) return [hit, b.length];
    const off = this.bytes.length;
    for (const x of b) this.bytes.push(x);
    this.#seen.set(s, off);
    return [off, b.length];
  }
}

/** An operand that holds an address only known once the image is laid out. */
export type Reloc = { at: number; kind: "list" | "masks" | "switch"; id: number };

/** A byColumn decided at compile time: its cases in order, the first match wins. */
export interface SwitchTable {
  column: number;
  cases: { any: number; all: number; none: number; target: number }[];
  otherwise: number;
}

/** What the emitter leaves for the layout. */
export interface EmittedCode {
  code: number[];
  relocs: Reloc[];
  lists: number[][];
  masks: [bigint, bigint][][];
  switches: SwitchTable[];
  ruleStarts: { word: number; rule: string }[];
  patch(at: number, value: number): void;
}

/** The image of a compiled grammar. */
export function assemble(
  g: Grammar,
  a: Analysis,
  em: EmittedCode,
  tables: ResolvedTable[],
  pool: Pool,
): Program {
  // Strings the records point at go to the pool first, so its size is final.
  const colCount = tables.reduce((s, t) => s + t.columns.length, 0);
  const fkCount = tables.reduce((s, t) => s + t.foreignKeys.length, 0);
  const vocabIds = new Map<string, number>();
  const vocabs: [number, number][][] = [];
  const wordsOf = (key: string, words: () => readonly string[]): number => {
    if (!vocabIds.has(key)) {
      vocabIds.set(key, vocabs.length);
      vocabs.push(words().map((w) => pool.add(w)));
    }
    return vocabIds.get(key)!;
  };
  // An enum's labels are its vocabulary, escaped for a single-quoted literal.
  const vocabOf = (c: ResolvedTable["columns"][number]): number =>
    c.type.samples
      // Keyed by the list too: live facts give columns of one type lists of their own.
      ? wordsOf(`sql ${c.type.sql}\u0000${c.type.samples.join("\u0001")}`, () => c.type.samples!)
      : c.type.labels
      ? wordsOf(`enum ${c.type.sql}`, () => c.type.labels!.map((l) => l.replaceAll("'", "''")))
      : c.column.vocabulary === undefined
      ? -1
      : wordsOf(c.column.vocabulary, () => vocabulary(c.column.vocabulary!));
  const colStrings = tables.map((t) =>
    t.columns.map((c) => ({
      name: pool.add(c.sqlName),
      type: pool.add(c.type.sql),
      vocab: vocabOf(c),
    }))
  );
  const tableNames = tables.map((t) => pool.add(t.sqlName));

  let addr = PROGRAM_BASE + HEADER_BYTES;
  const codeAddr = addr;
  addr += em.code.length * 4;
  const tablesAddr = addr;
  addr += tables.length * TABLE_WORDS * 4;
  const colsAddr = addr;
  addr += colCount * COLUMN_WORDS * 4;
  const fksAddr = addr;
  addr += fkCount * FK_WORDS * 4;
  const listAddrs = em.lists.map((l) => {
    const at = addr;
    addr += (1 + l.length) * 4;
    return at;
  });
  const switchAddrs = em.switches.map(() => {
    const at = addr;
    addr += colCount * 4;
    return at;
  });
  addr = (addr + 7) & ~7;
  const maskAddrs = em.masks.map(() => {
    const at = addr;
    addr += tables.length * 16;
    return at;
  });
  const vocabAddrs = vocabs.map((v) => {
    const at = addr;
    addr += v.length * 8;
    return at;
  });
  const poolAddr = addr;
  // The VM copies 8 bytes at a time and may read 7 past a string's end.
  addr += pool.bytes.length + 8;
  const size = (addr - PROGRAM_BASE + 7) & ~7;

  const image = new Uint8Array(size);
  const dv = new DataView(image.buffer);
  const w32 = (abs: number, v: number) => dv.setInt32(abs - PROGRAM_BASE, v | 0, true);
  const w64 = (abs: number, v: bigint) => dv.setBigUint64(abs - PROGRAM_BASE, BigInt.asUintN(64, v), true);

  w32(PROGRAM_BASE, 0x51525259); // "QRRY"
  w32(PROGRAM_BASE + 4, em.code.length);
  for (const r of em.relocs) {
    em.patch(r.at, (r.kind === "list" ? listAddrs : r.kind === "masks" ? maskAddrs : switchAddrs)[r.id]!);
  }
  em.code.forEach((v, i) => w32(codeAddr + i * 4, v));

  const colAddr: number[][] = [];
  let ci = 0;
  tables.forEach((t) => {
    colAddr.push(t.columns.map(() => colsAddr + ci++ * COLUMN_WORDS * 4));
  });
  let fi = 0;
  tables.forEach((t, ti) => {
    const tAddr = tablesAddr + ti * TABLE_WORDS * 4;
    const firstFk = fksAddr + fi * FK_WORDS * 4;
    w32(tAddr, tableNames[ti]![0]);
    w32(tAddr + 4, tableNames[ti]![1]);
    w32(tAddr + 8, t.columns.length);
    w32(tAddr + 12, colAddr[ti]![0] ?? 0);
    w32(tAddr + 16, t.foreignKeys.length);
    w32(tAddr + 20, firstFk);
    w32(tAddr + 24, t.flags);
    w32(tAddr + 28, ti);
    t.columns.forEach((c, k) => {
      const at = colAddr[ti]![k]!;
      const s = colStrings[ti]![k]!;
      w32(at, s.name[0]);
      w32(at + 4, s.name[1]);
      w32(at + 8, c.type.code);
      w32(at + 12, c.attr);
      w64(at + 16, c.lo);
      w64(at + 24, c.hi - c.lo);
      w32(at + 32, c.type.length);
      w32(at + 36, c.scale);
      w32(at + 40, s.vocab < 0 ? 0 : vocabAddrs[s.vocab]!);
      w32(at + 44, s.vocab < 0 ? 0 : vocabs[s.vocab]!.length);
      w32(at + 48, s.type[0]);
      w32(at + 52, s.type[1]);
      w32(at + 56, tAddr);
      w32(at + 60, k);
      w32(at + 64, (at - colsAddr) / (COLUMN_WORDS * 4));
    });
    t.foreignKeys.forEach((fk) => {
      const at = fksAddr + fi++ * FK_WORDS * 4;
      w32(at, fk.pairs.length);
      w32(at + 4, tablesAddr + fk.parent * TABLE_WORDS * 4);
      fk.pairs.forEach(([child, parent], p) => {
        w32(at + 8 + p * 4, colAddr[ti]![child]!);
        w32(at + 8 + (FK_MAX_PAIRS + p) * 4, colAddr[fk.parent]![parent]!);
      });
    });
  });
  em.masks.forEach((perTable, i) =>
    perTable.forEach(([match, required], t) => {
      w64(maskAddrs[i]! + t * 16, match);
      w64(maskAddrs[i]! + t * 16 + 8, required);
    })
  );
  const attrs = tables.flatMap((t) => t.columns.map((c) => c.attr));
  em.switches.forEach((s, i) =>
    attrs.forEach((attr, ordinal) => {
      const hit = s.cases.find((c) =>
        (attr & c.any) !== 0 && (attr & c.all) === c.all && (attr & c.none) === 0
      );
      const target = hit ? hit.target : s.otherwise;
      // A case that is just the column's literal runs inside the switch (~target).
      const inline = em.code[target] === op.OP_COL_LIT && em.code[target + 1] === s.column;
      w32(switchAddrs[i]! + ordinal * 4, inline ? ~target : target);
    })
  );
  em.lists.forEach((l, i) => {
    w32(listAddrs[i]!, l.length);
    l.forEach((t, k) => w32(listAddrs[i]! + 4 + k * 4, tablesAddr + t * TABLE_WORDS * 4));
  });
  vocabs.forEach((v, i) =>
    v.forEach(([off, len], k) => {
      w32(vocabAddrs[i]! + k * 8, off);
      w32(vocabAddrs[i]! + k * 8 + 4, len);
    })
  );
  image.set(pool.bytes, poolAddr - PROGRAM_BASE);

  const starts = em.ruleStarts;
  return {
    grammar: g.name,
    image,
    codeAddr,
    poolAddr,
    startWord: 0,
    maxDepth: g.maxDepth,
    maxStatementBytes: g.maxStatementBytes,
    uniqueByConstruction: a.uniqueByConstruction,
    ...(g.unique !== undefined ? { defaultUnique: g.unique } : {}),
    ruleAt(pc: number) {
      let found: string | undefined;
      for (const s of starts) if (s.word <= pc) found = s.rule;
      return found;
    },
  };
}
