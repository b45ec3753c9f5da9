/**
 * Lowers a validated grammar and a schema to the VM's program: i32 code
 * words, a string pool and table/column/foreign-key records, assembled into
 * one image for the PROGRAM region of the shared memory.
 *
 * @module
 */
import type { Element, Grammar, Node } from "../dsl/grammar.ts";
import type { Schema } from "../schema/model.ts";
import { GrammarError } from "../dsl/errors.ts";
import { type Analysis, analyze, children, height } from "./analyze.ts";
import { filterMasks, tableMatches } from "./attributes.ts";
import { type ResolvedTable, resolveSchema } from "./columns.ts";
import { parseTemplate, type TemplatePiece } from "./template.ts";
import * as op from "../../wasm/opcodes.ts";
import { assemble, Pool, type Program, type Reloc, type SwitchTable } from "./assemble.ts";
import { threadJumps } from "./peephole.ts";

export type { Program } from "./assemble.ts";

/** Emits the code of a grammar's rules, fusing what it can (see wasm/README.md). */
class Emitter {
  code: number[] = [];
  relocs: Reloc[] = [];
  lists: number[][] = [];
  /** Per column-picking op: [matching, required] column bits for each table. */
  masks: [bigint, bigint][][] = [];
  switches: SwitchTable[] = [];
  callSites: { at: number; rule: string }[] = [];
  ruleStarts: { word: number; rule: string }[] = [];
  currentRule = "";
  constructor(
    readonly g: Grammar,
    readonly a: Analysis,
    readonly pool: Pool,
    readonly tables: ResolvedTable[],
    readonly inlinable: ReadonlySet<string>,
  ) {}

  emit(...words: number[]): number {
    const at = this.code.length;
    for (const w of words) this.code.push(w | 0);
    return at;
  }

  patch(at: number, value: number): void {
    this.code[at] = value | 0;
  }

  /** The last code position read as a (possible) jump target: no instruction is fused across it. */
  #label = -1;
  /** The last LIT emitted, and its text, while it may still grow. */
  #lastLit = -1;
  #lastLitText = "";

  /** The next instruction's position; reading it makes that position a label. */
  get here(): number {
    this.#label = this.code.length;
    return this.code.length;
  }

  /** Whether the last instruction is a LIT that the next one may join (no label between). */
  #litEnds(): boolean {
    return this.#lastLit >= 0 && this.#lastLit + 3 === this.code.length && this.#label !== this.code.length;
  }

  /** Constant text; consecutive texts with no label between become one LIT. */
  lit(s: string): void {
    if (s.length === 0) return;
    if (this.#litEnds()) {
      this.#lastLitText += s;
      const [off, len] = this.pool.add(this.#lastLitText);
      this.patch(this.#lastLit + 1, off);
      this.patch(this.#lastLit + 2, len);
      return;
    }
    const [off, len] = this.pool.add(s);
    this.#lastLit = this.emit(op.OP_LIT, off, len);
    this.#lastLitText = s;
  }

  /**
   * Emits `plain` with its operands, or `fused` with the text of a LIT right
   * before it first (COL_NAMES takes the text as its last two operands, 0 0 for none).
   */
  withLit(fused: number, plain: number, ...operands: number[]): void {
    const lead = fused === op.OP_COL_NAMES;
    if (this.#litEnds()) {
      const text = this.pool.add(this.#lastLitText);
      this.code.length = this.#lastLit;
      if (lead) this.emit(fused, ...operands, ...text);
      else this.emit(fused, ...text, ...operands);
    } else if (lead) this.emit(plain, ...operands, 0, 0);
    else this.emit(plain, ...operands);
    this.#lastLit = -1;
  }

  /** The LIT the next instruction may join, to come back to after dropping code. */
  litState(): { at: number; text: string } {
    return { at: this.#litEnds() ? this.#lastLit : -1, text: this.#lastLitText };
  }

  restoreLit(state: { at: number; text: string }): void {
    this.#lastLit = state.at;
    this.#lastLitText = state.text;
  }

  /** `text` then a column's name, joined with a LIT right before it. */
  litColumnName(text: string, columnSlot: number): void {
    if (this.#litEnds()) {
      text = this.#lastLitText + text;
      this.code.length = this.#lastLit;
    }
    this.#lastLit = -1;
    this.emit(op.OP_LIT_COL_NAME, ...this.pool.add(text), columnSlot);
  }

  slot(kind: keyof Analysis["slots"], name: string): number {
    return this.a.slots[kind].get(name)!;
  }

  h(e: Element): number {
    return height(e, this.a.heights);
  }

  /**
   * Registers the column bits a filter selects in every table and returns a
   * placeholder operand; the relocation pass puts the array's address there.
   */
  columnMasks(filter: Parameters<typeof filterMasks>[0]): number {
    const m = filterMasks(filter);
    this.masks.push(this.tables.map((t) => {
      let match = 0n, required = 0n;
      t.columns.slice(0, 64).forEach((c, i) => {
        const bit = 1n << BigInt(i);
        if ((c.attr & m.any) !== 0 && (c.attr & m.all) === m.all && (c.attr & m.none) === 0) match |= bit;
        if ((c.attr & op.A_REQUIRED) !== 0) required |= bit;
      });
      return [match, required];
    }));
    this.relocs.push({ at: this.here + 3, kind: "masks", id: this.masks.length - 1 });
    return 0;
  }

  /** Compiles `body`, then `orElse` (or FAIL) at the pick's else target. */
  branch(elseOperand: number, body: Element, orElse: Element | undefined): void {
    this.element(body);
    const jmp = this.emit(op.OP_JMP, 0);
    this.patch(elseOperand, this.here);
    if (orElse === undefined) this.emit(op.OP_FAIL);
    else this.element(orElse);
    this.patch(jmp + 1, this.here);
  }

  element(e: Element): void {
    if (typeof e === "string") return this.lit(e);
    this.node(e);
  }

  node(e: Node): void {
    switch (e.kind) {
      case "ref": {
        if (!this.inlinable.has(e.rule)) {
          this.callSites.push({ at: this.emit(op.OP_CALL, 0) + 1, rule: e.rule });
          return;
        }
        // A rule outside every cycle is expanded in place: no CALL/RET at run
        // time. Heights still count it as a call, so pruning stays safe.
        const caller = this.currentRule;
        this.ruleStarts.push({ word: this.here, rule: e.rule });
        this.currentRule = e.rule;
        this.element(this.g.rules.get(e.rule)!);
        this.currentRule = caller;
        this.ruleStarts.push({ word: this.here, rule: caller });
        return;
      }
      case "seq":
        return e.parts.forEach((p) => this.element(p));
      case "template": {
        const pieces = parseTemplate(e.text) as TemplatePiece[];
        for (let i = 0; i < pieces.length; i++) {
          const piece = pieces[i]!;
          if ("text" in piece) {
            const next = pieces[i + 1];
            const part = next && "name" in next ? e.parts[next.name] : undefined;
            if (typeof part === "object" && part.kind === "columnName") {
              // "a.{c}": the prefix and the name in one instruction.
              this.litColumnName(piece.text, this.slot("column", part.column));
              i++;
            } else this.lit(piece.text);
          } else if (piece.name in e.parts) this.element(e.parts[piece.name]!);
          else this.node({ kind: "ref", rule: piece.name });
        }
        return;
      }
      case "choice":
        return this.choice(e);
      case "pool": {
        this.emit(op.OP_POOL, e.values.length);
        for (const v of e.values) this.emit(...this.pool.add(v));
        return;
      }
      case "number": {
        const span = BigInt.asUintN(64, e.hi - e.lo);
        const lo = BigInt.asUintN(64, e.lo);
        this.emit(
          op.OP_NUM,
          Number(lo & 0xffffffffn),
          Number(lo >> 32n),
          Number(span & 0xffffffffn),
          Number(span >> 32n),
        );
        return;
      }
      case "maybe": {
        const threshold = Math.min(2 ** 31, Math.round(e.probability * 2 ** 31));
        const at = this.emit(op.OP_MAYBE, threshold >>> 0, this.h(e.element), 0);
        this.element(e.element);
        this.patch(at + 3, this.here);
        return;
      }
      case "repeat": {
        const at = this.emit(op.OP_REP_BEGIN, e.min, e.max, this.h(e.element), 0);
        const body = this.here;
        this.element(e.element);
        this.emit(op.OP_REP_NEXT, ...this.pool.add(e.sep), body);
        this.patch(at + 4, this.here);
        return;
      }
      case "unique":
        this.withLit(op.OP_LIT_UNIQUE, op.OP_UNIQUE);
        return;
      case "withTable": {
        const names = e.where.names ? new Set(e.where.names) : undefined;
        const list = this.tables.flatMap((t, i) =>
          tableMatches(t.flags, e.where) && (!names || names.has(t.table.name)) ? [i] : []
        );
        this.lists.push(list);
        const at = this.emit(op.OP_PICK_TABLE, this.slot("table", e.slot), 0, 0);
        this.relocs.push({ at: at + 2, kind: "list", id: this.lists.length - 1 });
        return this.branch(at + 3, e.body, e.orElse);
      }
      case "tableName":
        this.withLit(op.OP_LIT_TABLE_NAME, op.OP_TABLE_NAME, this.slot("table", e.slot));
        return;
      case "withColumns": {
        const at = this.emit(
          op.OP_PICK_COLS,
          this.slot("list", e.list),
          this.slot("table", e.table),
          this.columnMasks(e.where),
          e.min,
          e.max,
          (e.required ? 1 : 0) | (e.all ? 2 : 0),
          0,
        );
        return this.branch(at + 7, e.body, e.orElse);
      }
      case "withColumn": {
        const at = this.emit(
          op.OP_PICK_COL,
          this.slot("column", e.column),
          this.slot("table", e.table),
          this.columnMasks(e.where),
          0,
        );
        return this.branch(at + 4, e.body, e.orElse);
      }
      case "eachColumn": {
        const before = this.litState();
        const at = this.emit(op.OP_EACH_BEGIN, this.slot("list", e.list), this.slot("column", e.column), 0);
        const body = this.here;
        this.element(e.body);
        const column = this.slot("column", e.column);
        // A body that is only the column's name (after a constant prefix): one COL_NAMES for the loop.
        const direct = typeof e.body === "object" &&
          (e.body.kind === "columnName" || e.body.kind === "template");
        const names = !direct ? undefined : this.here === body + 2 && this.code[body] === op.OP_COL_NAME &&
            this.code[body + 1] === column
          ? [0, 0]
          : this.here === body + 4 && this.code[body] === op.OP_LIT_COL_NAME && this.code[body + 3] === column
          ? [this.code[body + 1]!, this.code[body + 2]!]
          : undefined;
        if (names) {
          this.code.length = at;
          this.restoreLit(before);
          this.withLit(
            op.OP_COL_NAMES,
            op.OP_COL_NAMES,
            this.slot("list", e.list),
            column,
            ...this.pool.add(e.sep),
            ...names,
          );
          return;
        }
        // A body that starts by switching on the loop's column is entered at its case.
        const sw = this.code[body] === op.OP_SWITCH_COL && this.code[body + 1] === column;
        this.emit(sw ? op.OP_EACH_NEXT_SW : op.OP_EACH_NEXT, ...this.pool.add(e.sep), body);
        this.patch(at + 3, this.here);
        return;
      }
      case "columnName":
        this.emit(op.OP_COL_NAME, this.slot("column", e.column));
        return;
      case "columnType":
        this.emit(op.OP_COL_TYPE, this.slot("column", e.column));
        return;
      case "literal":
        this.withLit(
          op.OP_LIT_COL_LIT,
          op.OP_COL_LIT,
          this.slot("column", e.column),
          Math.round(e.nulls * 2 ** 31) >>> 0,
        );
        return;
      case "uniqueLiteral":
        this.emit(op.OP_COL_UNIQUE, this.slot("column", e.column));
        return;
      case "byColumn": {
        // Column attributes are known here, so the case each column takes is
        // too: one target per column ordinal, looked up at run time.
        const column = this.slot("column", e.column);
        const at = this.emit(op.OP_SWITCH_COL, column, 0);
        const table: SwitchTable = { column, cases: [], otherwise: 0 };
        this.switches.push(table);
        this.relocs.push({ at: at + 2, kind: "switch", id: this.switches.length - 1 });
        const ends: number[] = [];
        e.cases.forEach((c) => {
          table.cases.push({ ...filterMasks(c.when), target: this.here });
          this.element(c.then);
          ends.push(this.emit(op.OP_JMP, 0) + 1);
        });
        table.otherwise = this.here;
        this.element(e.otherwise);
        ends.forEach((x) => this.patch(x, this.here));
        return;
      }
      case "withForeignKey": {
        const at = this.emit(
          op.OP_PICK_FK,
          this.slot("fk", e.fk),
          this.slot("table", e.from),
          this.slot("table", e.to),
          0,
        );
        return this.branch(at + 4, e.body, e.orElse);
      }
      case "eachForeignKeyPair": {
        const at = this.emit(
          op.OP_FK_BEGIN,
          this.slot("fk", e.fk),
          this.slot("column", e.child),
          this.slot("column", e.parent),
          0,
        );
        const body = this.here;
        this.element(e.body);
        this.emit(op.OP_FK_NEXT, ...this.pool.add(e.sep), body);
        this.patch(at + 4, this.here);
        return;
      }
    }
  }

  choice(e: Extract<Node, { kind: "choice" }>): void {
    const alts = e.alternatives;
    if (alts.every((a) => typeof a.element === "string" && a.weight === alts[0]!.weight)) {
      return this.node({ kind: "pool", values: alts.map((a) => a.element as string) });
    }
    // Integer weights keep sampling exact; fractional ones are scaled.
    const scale = alts.every((a) => Number.isInteger(a.weight)) ? 1 : 1000;
    const weights = alts.map((a) => Math.round(a.weight * scale));
    const total = weights.reduce((s, w) => s + w, 0);
    if (weights.some((w) => w < 1) || total >= 2 ** 32) {
      throw new GrammarError(
        this.g.name,
        undefined,
        "choice weights must be at least 0.001 and sum below 2^32",
      );
    }
    const heights = alts.map((a) => this.h(a.element));
    const at = this.emit(op.OP_CHOICE, alts.length, total >>> 0, Math.max(...heights));
    let cum = 0;
    const targets = alts.map((_, i) => {
      cum += weights[i]!;
      return this.emit(cum >>> 0, 0, heights[i]!) + 1;
    });
    void at;
    const ends: number[] = [];
    alts.forEach((a, i) => {
      this.patch(targets[i]!, this.here);
      this.element(a.element);
      ends.push(this.emit(op.OP_JMP, 0) + 1);
    });
    ends.forEach((x) => this.patch(x, this.here));
  }
}
/** Element-tree size of each rule with its inlined callees, for the inlining budget. */
const INLINE_BUDGET = 4000;

/**
 * Rules to expand in place: those on no cycle of references (so inlining
 * terminates) whose expanded size stays within the budget.
 */
function inlinableRules(g: Grammar): Set<string> {
  const refs = new Map<string, string[]>();
  for (const [name, body] of g.rules) {
    const out: string[] = [];
    const visit = (e: Element): void => {
      if (typeof e !== "string") {
        if (e.kind === "ref") out.push(e.rule);
        if (e.kind === "template") {
          const pieces = parseTemplate(e.text) as TemplatePiece[];
          for (const p of pieces) if ("name" in p && !(p.name in e.parts)) out.push(p.name);
        }
      }
      children(e).forEach(visit);
    };
    visit(body);
    refs.set(name, out);
  }
  // A rule is cyclic when it can reach itself.
  const reaches = (from: string, target: string, seen = new Set<string>()): boolean => {
    for (const r of refs.get(from) ?? []) {
      if (r === target) return true;
      if (!seen.has(r)) {
        seen.add(r);
        if (reaches(r, target, seen)) return true;
      }
    }
    return false;
  };
  const acyclic = new Set([...g.rules.keys()].filter((r) => !reaches(r, r)));
  const size = new Map<string, number>();
  const sizeOf = (name: string): number => {
    if (size.has(name)) return size.get(name)!;
    let n = 0;
    const visit = (e: Element): void => {
      n++;
      if (typeof e !== "string" && e.kind === "ref" && acyclic.has(e.rule)) n += sizeOf(e.rule);
      children(e).forEach(visit);
    };
    visit(g.rules.get(name)!);
    size.set(name, n);
    return n;
  };
  return new Set([...acyclic].filter((r) => sizeOf(r) <= INLINE_BUDGET));
}
/**
 * Validates `g` and compiles it against `schema`.
 *
 * @throws {GrammarError} when the grammar is invalid.
 * @throws {SchemaError} when a column's range does not fit it.
 */
export function compile(g: Grammar, schema: Schema): Program {
  const analysis = analyze(g);
  const tables = resolveSchema(schema);
  const pool = new Pool();
  const em = new Emitter(g, analysis, pool, tables, inlinableRules(g));

  // Entry stub, then every rule.
  em.callSites.push({ at: em.emit(op.OP_CALL, 0) + 1, rule: g.start });
  em.emit(op.OP_HALT);
  const ruleWord = new Map<string, number>();
  for (const [name, body] of g.rules) {
    if (em.inlinable.has(name) && name !== g.start) continue;
    ruleWord.set(name, em.here);
    em.ruleStarts.push({ word: em.here, rule: name });
    em.currentRule = name;
    em.element(body);
    em.emit(op.OP_RET);
  }
  for (const site of em.callSites) em.patch(site.at, ruleWord.get(site.rule)!);
  threadJumps(em.code);

  return assemble(g, analysis, em, tables, pool);
}
