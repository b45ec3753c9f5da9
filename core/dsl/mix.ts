/**
 * A weighted mix of grammars as one grammar: each grammar's rules are
 * renamed `<grammar>__<rule>` (references and template placeholders with
 * them), and a start rule picks a grammar by weight. The pick is the first
 * draw of a statement, so statement i's grammar depends on (seed, i) alone,
 * and everything index-based (workers, shards, checkpoints) stays byte-exact.
 *
 * @module
 */
import { Grammar } from "./grammar.ts";
import type { Element, Node } from "./nodes.ts";

/** One grammar of a mix and its weight. */
export interface MixPart {
  grammar: Grammar;
  weight: number;
}

/** The start rule of a mix. */
export const MIX_START = "mix";

/**
 * Reads `--grammars`: `name:weight` pairs separated by commas (a name alone
 * weighs 1). Returns an error message for text that is not that.
 *
 * @example
 * ```ts
 * import { parseGrammarMix } from "./mix.ts";
 * const m = parseGrammarMix("dml_unique:3,functions_ddl:1");
 * if (typeof m === "string" || m[0]!.weight !== 3) throw new Error();
 * ```
 */
export function parseGrammarMix(text: string): { name: string; weight: number }[] | string {
  const out: { name: string; weight: number }[] = [];
  for (const item of text.split(",")) {
    const at = item.lastIndexOf(":");
    const name = (at < 0 ? item : item.slice(0, at)).trim();
    const weightText = at < 0 ? "1" : item.slice(at + 1).trim();
    const weight = Number(weightText);
    if (name === "" || !(weight > 0) || !Number.isFinite(weight) || weightText === "") {
      return `--grammars takes name:weight pairs with weights above 0, e.g. dml_unique:3,functions_ddl:1 ` +
        `(got "${text}")`;
    }
    if (out.some((p) => p.name === name)) return `--grammars names "${name}" twice`;
    out.push({ name, weight });
  }
  return out;
}

/**
 * The mix of `parts` as one grammar named `name`. Its depth budget and
 * statement limit are the largest of its grammars' (the depth plus one for
 * the pick).
 *
 * @example
 * ```ts
 * import { grammar, ref } from "./grammar.ts";
 * import { mixGrammars } from "./mix.ts";
 * const a = grammar("a").rule("q", "SELECT 1");
 * const b = grammar("b").rule("q", "SELECT 2");
 * const m = mixGrammars("ab", [{ grammar: a, weight: 3 }, { grammar: b, weight: 1 }]);
 * if (!m.rules.has("a__q") || m.start !== "mix") throw new Error();
 * ```
 */
export function mixGrammars(name: string, parts: readonly MixPart[]): Grammar {
  const g = new Grammar(name, {
    description: `A mix of ${parts.map((p) => `${p.grammar.name} (weight ${p.weight})`).join(", ")}.`,
    start: MIX_START,
    maxDepth: Math.max(...parts.map((p) => p.grammar.maxDepth)) + 1,
    maxStatementBytes: Math.max(...parts.map((p) => p.grammar.maxStatementBytes)),
  });
  g.rule(MIX_START, {
    kind: "choice",
    alternatives: parts.map((p) => ({
      weight: p.weight,
      element: { kind: "ref", rule: `${p.grammar.name}__${p.grammar.start}` },
    })),
  });
  for (const p of parts) {
    const prefix = `${p.grammar.name}__`;
    for (const [rule, element] of p.grammar.rules) {
      g.rule(prefix + rule, renamed(element, prefix, p.grammar.rules));
    }
  }
  return g;
}

/** `e` with every rule it names (references, and template placeholders that are rules) given `prefix`. */
function renamed(e: Element, prefix: string, rules: ReadonlyMap<string, Element>): Element {
  if (typeof e === "string") return e;
  const r = (x: Element) => renamed(x, prefix, rules);
  const n: Node = e;
  switch (n.kind) {
    case "ref":
      return { kind: "ref", rule: prefix + n.rule };
    case "choice":
      return { ...n, alternatives: n.alternatives.map((a) => ({ weight: a.weight, element: r(a.element) })) };
    case "seq":
      return { ...n, parts: n.parts.map(r) };
    case "template": {
      const parts: Record<string, Element> = {};
      for (const [k, v] of Object.entries(n.parts)) parts[k] = r(v);
      // A placeholder that is not a part is the rule of that name: make it an explicit reference.
      for (const m of n.text.replaceAll(/\{\{|\}\}/g, "").matchAll(/\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}/g)) {
        const name = m[1]!;
        if (!(name in parts) && rules.has(name)) parts[name] = { kind: "ref", rule: prefix + name };
      }
      return { ...n, parts };
    }
    case "maybe":
    case "repeat":
      return { ...n, element: r(n.element) };
    case "withTable":
    case "withColumns":
    case "withColumn":
    case "withForeignKey":
      return { ...n, body: r(n.body), ...(n.orElse === undefined ? {} : { orElse: r(n.orElse) }) };
    case "eachColumn":
    case "eachForeignKeyPair":
      return { ...n, body: r(n.body) };
    case "byColumn":
      return {
        ...n,
        cases: n.cases.map((c) => ({ when: c.when, then: r(c.then) })),
        otherwise: r(n.otherwise),
      };
    default:
      return n;
  }
}
