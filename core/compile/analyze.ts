/**
 * Load-time validation of a grammar: undefined rules and placeholders, bad
 * weights and bounds, rules that can never terminate. Also computes each
 * rule's height (the fewest nested rule calls that complete it), which the VM
 * uses to prune recursion, and whether the grammar is unique by construction.
 *
 * @module
 */
import type { Element, Grammar, Node } from "../dsl/grammar.ts";
import { GrammarError } from "../dsl/errors.ts";
import { filterMasks } from "./attributes.ts";
import { parseTemplate } from "./template.ts";

/** What analysis learns about a valid grammar. */
export interface Analysis {
  /** Height of each rule's body: the fewest nested rule calls that complete it. */
  heights: Map<string, number>;
  /** Every statement contains a `unique()` value. */
  uniqueByConstruction: boolean;
  /** Slot names to indices, per namespace. */
  slots: {
    table: Map<string, number>;
    column: Map<string, number>;
    list: Map<string, number>;
    fk: Map<string, number>;
  };
}

import { LIST_SLOTS, SLOTS } from "../../wasm/layout.ts";

/** Visits every element below `e` (not following refs). */
export function children(e: Element): Element[] {
  if (typeof e === "string") return [];
  switch (e.kind) {
    case "choice":
      return e.alternatives.map((a) => a.element);
    case "seq":
      return e.parts;
    case "template":
      return Object.values(e.parts);
    case "maybe":
    case "repeat":
      return [e.element];
    case "withTable":
    case "withColumns":
    case "withColumn":
    case "withForeignKey":
      return e.orElse === undefined ? [e.body] : [e.body, e.orElse];
    case "eachColumn":
    case "eachForeignKeyPair":
      return [e.body];
    case "byColumn":
      return [...e.cases.map((c) => c.then), e.otherwise];
    default:
      return [];
  }
}

/**
 * Validates `g` and computes its analysis.
 *
 * @throws {GrammarError} naming the rule and the problem.
 */
export function analyze(g: Grammar): Analysis {
  if (g.rules.size === 0) throw new GrammarError(g.name, undefined, "defines no rules");
  if (!g.rules.has(g.start)) {
    throw new GrammarError(g.name, undefined, `start rule "${g.start}" is not defined`);
  }
  if (!Number.isInteger(g.maxDepth) || g.maxDepth < 1 || g.maxDepth > 200) {
    throw new GrammarError(g.name, undefined, `maxDepth ${g.maxDepth} must be a whole number from 1 to 200`);
  }
  if (!Number.isInteger(g.maxStatementBytes) || g.maxStatementBytes < 4096 || g.maxStatementBytes > 1 << 24) {
    throw new GrammarError(
      g.name,
      undefined,
      "maxStatementBytes must be a whole number from 4096 to 16777216",
    );
  }
  const slots = {
    table: new Map<string, number>(),
    column: new Map<string, number>(),
    list: new Map<string, number>(),
    fk: new Map<string, number>(),
  };
  const bind = (kind: keyof typeof slots, name: string, rule: string) => {
    const m = slots[kind];
    if (!m.has(name)) {
      const limit = kind === "list" ? LIST_SLOTS : SLOTS;
      if (m.size >= limit) {
        throw new GrammarError(
          g.name,
          rule,
          `more than ${limit} ${kind} slot names; reuse names across rules`,
        );
      }
      m.set(name, m.size);
    }
  };

  for (const [rule, body] of g.rules) {
    const check = (e: Element): void => {
      const fail = (reason: string): never => {
        throw new GrammarError(g.name, rule, reason);
      };
      if (typeof e === "string") checkText(e, fail);
      else checkNode(e, fail, (r) => g.rules.has(r), (k, n) => bind(k, n, rule));
      children(e).forEach(check);
    };
    check(body);
  }
  checkScopes(g);

  const heights = ruleHeights(g);
  for (const [rule, h] of heights) {
    if (h === Infinity) {
      const stuck = [...heights].filter(([, v]) => v === Infinity).map(([k]) => `"${k}"`);
      throw new GrammarError(
        g.name,
        rule,
        `can never terminate: every way through it refers back to ${
          stuck.join(", ")
        }; add an alternative without that reference`,
      );
    }
  }
  for (const [rule, body] of g.rules) {
    const visit = (e: Element): void => {
      if (typeof e !== "string" && e.kind === "choice") {
        e.alternatives.forEach((a, i) => {
          if (height(a.element, heights) === Infinity) {
            throw new GrammarError(g.name, rule, `alternative ${i + 1} of a choice can never terminate`);
          }
        });
      }
      children(e).forEach(visit);
    };
    visit(body);
  }
  return { heights, uniqueByConstruction: alwaysUnique(g), slots };
}

type SlotKind = "table" | "column" | "list" | "fk";

/** Literal text may not break a line: output is one statement per line. */
function checkText(text: string, fail: (reason: string) => never): void {
  if (/[\r\n]/.test(text)) fail(`literal text ${JSON.stringify(text)} contains a line break`);
}

function checkNode(
  e: Node,
  fail: (reason: string) => never,
  hasRule: (r: string) => boolean,
  bind: (kind: SlotKind, name: string) => void,
): void {
  const s = { bind };
  const filter = (f: Parameters<typeof filterMasks>[0]) => {
    try {
      filterMasks(f);
    } catch (err) {
      fail((err as Error).message);
    }
  };
  switch (e.kind) {
    case "ref":
      if (!hasRule(e.rule)) fail(`refers to undefined rule "${e.rule}"`);
      break;
    case "choice":
      if (e.alternatives.length === 0) fail("a choice needs at least one alternative");
      e.alternatives.forEach((a, i) => {
        if (typeof a.weight !== "number" || !Number.isFinite(a.weight) || a.weight <= 0) {
          fail(
            `alternative ${
              i + 1
            } of a choice has weight ${a.weight}; weights must be positive finite numbers`,
          );
        }
      });
      {
        // The compiler keeps integer weights and scales fractional ones by 1000.
        const scale = e.alternatives.every((a) => Number.isInteger(a.weight)) ? 1 : 1000;
        const scaled = e.alternatives.map((a) => Math.round(a.weight * scale));
        if (scaled.some((w) => w < 1)) fail("choice weights must be at least 0.001");
        if (scaled.reduce((t, w) => t + w, 0) >= 2 ** 32) fail("choice weights must sum below 2^32");
      }
      break;
    case "template": {
      checkText(e.text, fail);
      const pieces = parseTemplate(e.text);
      if (typeof pieces === "string") fail(pieces);
      const names = new Set<string>();
      for (const p of pieces) {
        if ("name" in p) {
          names.add(p.name);
          if (!(p.name in e.parts) && !hasRule(p.name)) {
            fail(`template placeholder "{${p.name}}" is neither a part of the template nor a rule`);
          }
        }
      }
      for (const k of Object.keys(e.parts)) {
        if (!names.has(k)) fail(`template part "${k}" is not used in "${e.text}"`);
      }
      break;
    }
    case "number":
      if (e.lo > e.hi) fail(`number(${e.lo}, ${e.hi}): low bound exceeds high bound`);
      if (e.lo < -(1n << 63n) || e.hi >= 1n << 63n) fail("number bounds must fit in a signed 64-bit integer");
      break;
    case "maybe":
      if (!(e.probability >= 0 && e.probability <= 1)) {
        fail(`maybe probability ${e.probability} is outside 0..1`);
      }
      break;
    case "repeat":
      checkText(e.sep, fail);
      if (
        !Number.isInteger(e.min) || !Number.isInteger(e.max) || e.min < 0 || e.min > e.max || e.max > 100000
      ) {
        fail(`repeat(min ${e.min}, max ${e.max}) needs whole numbers with 0 <= min <= max <= 100000`);
      }
      break;
    case "pool":
      if (e.values.length === 0) fail("a pool needs at least one value");
      e.values.forEach((v) => checkText(v, fail));
      break;
    case "withTable":
      s.bind("table", e.slot);
      break;
    case "tableName":
      break;
    case "withColumns":
      s.bind("list", e.list);
      filter(e.where);
      if (!Number.isInteger(e.min) || !Number.isInteger(e.max) || e.min < 0 || e.min > e.max || e.max > 64) {
        fail(`withColumns(min ${e.min}, max ${e.max}) needs 0 <= min <= max <= 64`);
      }
      break;
    case "withColumn":
      s.bind("column", e.column);
      filter(e.where);
      break;
    case "eachColumn":
      checkText(e.sep, fail);
      s.bind("column", e.column);
      break;
    case "columnName":
    case "columnType":
    case "uniqueLiteral":
      break;
    case "literal":
      if (!(e.nulls >= 0 && e.nulls <= 1)) fail(`literal nulls ${e.nulls} is outside 0..1`);
      break;
    case "byColumn":
      e.cases.forEach((c) => filter(c.when));
      break;
    case "withForeignKey":
      s.bind("fk", e.fk);
      s.bind("table", e.to);
      break;
    case "eachForeignKeyPair":
      checkText(e.sep, fail);
      s.bind("column", e.child);
      s.bind("column", e.parent);
      break;
  }
}

/**
 * Every slot read must sit inside a pick that binds it, on every path from
 * the start rule (picks bind for their body only, through rule calls too).
 * Otherwise a statement would read what an earlier statement left behind,
 * and statement i would depend on more than (seed, i).
 */
function checkScopes(g: Grammar): void {
  const seen = new Set<string>();
  const need = (rule: string, bound: ReadonlySet<string>, kind: SlotKind, name: string) => {
    if (!bound.has(`${kind}:${name}`)) {
      const picker = {
        table: "withTable",
        list: "withColumns",
        column: "withColumn or eachColumn",
        fk: "withForeignKey",
      }[kind];
      throw new GrammarError(
        g.name,
        rule,
        `${kind} slot "${name}" is read outside any ${picker} that binds it; move the read inside the pick`,
      );
    }
  };
  const visitRule = (rule: string, bound: ReadonlySet<string>) => {
    const key = `${rule}|${[...bound].sort().join(",")}`;
    if (seen.has(key) || seen.size > 100000) return;
    seen.add(key);
    visit(g.rules.get(rule)!, bound, rule);
  };
  const plus = (bound: ReadonlySet<string>, ...slots: string[]) => new Set([...bound, ...slots]);
  const visit = (e: Element, bound: ReadonlySet<string>, rule: string): void => {
    if (typeof e === "string") return;
    const under = (b: ReadonlySet<string>, ...xs: (Element | undefined)[]) =>
      xs.forEach((x) => x !== undefined && visit(x, b, rule));
    switch (e.kind) {
      case "ref":
        return visitRule(e.rule, bound);
      case "template":
        for (const n of parsedNames(e.text)) if (!(n in e.parts)) visitRule(n, bound);
        return under(bound, ...Object.values(e.parts));
      case "withTable":
        return under(plus(bound, `table:${e.slot}`), e.body), under(bound, e.orElse);
      case "tableName":
        return need(rule, bound, "table", e.slot);
      case "withColumns":
        need(rule, bound, "table", e.table);
        return under(plus(bound, `list:${e.list}`), e.body), under(bound, e.orElse);
      case "withColumn":
        need(rule, bound, "table", e.table);
        return under(plus(bound, `column:${e.column}`), e.body), under(bound, e.orElse);
      case "eachColumn":
        need(rule, bound, "list", e.list);
        return under(plus(bound, `column:${e.column}`), e.body);
      case "columnName":
      case "columnType":
      case "literal":
      case "uniqueLiteral":
        return need(rule, bound, "column", e.column);
      case "byColumn":
        need(rule, bound, "column", e.column);
        return under(bound, ...e.cases.map((c) => c.then), e.otherwise);
      case "withForeignKey":
        need(rule, bound, "table", e.from);
        return under(plus(bound, `fk:${e.fk}`, `table:${e.to}`), e.body), under(bound, e.orElse);
      case "eachForeignKeyPair":
        need(rule, bound, "fk", e.fk);
        return under(plus(bound, `column:${e.child}`, `column:${e.parent}`), e.body);
      default:
        return under(bound, ...children(e));
    }
  };
  visitRule(g.start, new Set());
}

/** Height of an element given rule heights (Infinity: cannot finish). */
export function height(e: Element, heights: Map<string, number>): number {
  if (typeof e === "string") return 0;
  const max = (xs: Element[]) => xs.reduce((m, x) => Math.max(m, height(x, heights)), 0);
  switch (e.kind) {
    case "ref":
      return 1 + (heights.get(e.rule) ?? Infinity);
    case "choice":
      return Math.min(...e.alternatives.map((a) => height(a.element, heights)));
    case "template":
      return Math.max(
        max(Object.values(e.parts)),
        ...(parsedNames(e.text).filter((n) => !(n in e.parts)).map((n) => 1 + (heights.get(n) ?? Infinity))),
      );
    case "maybe":
      return 0;
    case "repeat":
      return e.min === 0 ? 0 : height(e.element, heights);
    default:
      return max(children(e));
  }
}

function parsedNames(text: string): string[] {
  const p = parseTemplate(text);
  return typeof p === "string" ? [] : p.flatMap((x) => ("name" in x ? [x.name] : []));
}

function ruleHeights(g: Grammar): Map<string, number> {
  const heights = new Map<string, number>([...g.rules.keys()].map((r) => [r, Infinity]));
  for (let changed = true; changed;) {
    changed = false;
    for (const [rule, body] of g.rules) {
      const h = height(body, heights);
      if (h < heights.get(rule)!) {
        heights.set(rule, h);
        changed = true;
      }
    }
  }
  return heights;
}

/** Whether every expansion of the start rule emits `unique()` at least once. */
function alwaysUnique(g: Grammar): boolean {
  const memo = new Map<string, boolean>();
  const ruleUnique = (r: string): boolean => {
    if (memo.has(r)) return memo.get(r)!;
    memo.set(r, false); // a cycle proves nothing
    const v = must(g.rules.get(r)!);
    memo.set(r, v);
    return v;
  };
  const must = (e: Element): boolean => {
    if (typeof e === "string") return false;
    switch (e.kind) {
      case "unique":
        return true;
      case "ref":
        return ruleUnique(e.rule);
      case "choice":
        return e.alternatives.every((a) => must(a.element));
      case "seq":
        return e.parts.some(must);
      case "template":
        return Object.values(e.parts).some(must) ||
          parsedNames(e.text).some((n) => !(n in e.parts) && ruleUnique(n));
      case "repeat":
        return e.min > 0 && must(e.element);
      case "withTable":
      case "withColumns":
      case "withColumn":
      case "withForeignKey":
        return must(e.body) && (e.orElse === undefined || must(e.orElse));
      case "byColumn":
        return e.cases.every((c) => must(c.then)) && must(e.otherwise);
      default:
        return false;
    }
  };
  return ruleUnique(g.start);
}
