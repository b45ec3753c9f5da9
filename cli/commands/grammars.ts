/**
 * `quarry grammars list|show`: the grammar catalogue.
 *
 * @module
 */
import { parseFlags } from "../args.ts";
import { UsageError } from "../errors.ts";
import { compileFor, loadGrammar, loadSchema } from "../sources.ts";
import { analyze } from "../../core/compile/analyze.ts";
import { LocalGenerator } from "../../core/engine/local.ts";
import { parseSeed, type Seed } from "../../core/seed.ts";
import { BUILTIN_GRAMMARS } from "../../grammars/mod.ts";

export const GRAMMARS_HELP = `quarry grammars: the grammar catalogue

Usage:
  quarry grammars list
  quarry grammars show NAME|FILE [--schema default|FILE] [--samples N]

list   One line per built-in grammar: name, whether it is unique by
       construction, and what it generates.
show   A grammar's description, file, start rule, rules with their heights
       (the fewest nested rule calls that finish them), and sample statements
       generated with seed 0 against the schema.

Options:
  -s, --schema default|FILE  Schema for the samples [default: default]
      --samples N            Sample statements to show [default: 3]
  -h, --help                 Show this help`;

const OPTIONS = {
  schema: { type: "string", short: "s" },
  samples: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

function firstSentence(text: string): string {
  const m = /^(.*?\.)(\s|$)/.exec(text);
  return m ? m[1]! : text;
}

/** Runs `quarry grammars`; returns the exit code. */
export async function grammarsCommand(argv: string[]): Promise<number> {
  const { values: v, positionals } = parseFlags(argv, OPTIONS, "grammars", 2);
  if (v.help) {
    console.log(GRAMMARS_HELP);
    return 0;
  }
  if (positionals.length === 0) {
    console.error(GRAMMARS_HELP);
    return 2;
  }
  const [action, name] = positionals;
  if (action === "list") {
    if (name !== undefined) {
      throw new UsageError(`unexpected argument "${name}"`, "see 'quarry grammars --help'");
    }
    const width = Math.max(...[...BUILTIN_GRAMMARS.keys()].map((k) => k.length));
    for (const [key, { grammar }] of BUILTIN_GRAMMARS) {
      const unique = analyze(grammar).uniqueByConstruction ? "unique" : "      ";
      console.log(`${key.padEnd(width)}  ${unique}  ${firstSentence(grammar.description)}`);
    }
    return 0;
  }
  if (action === "show") {
    if (name === undefined) {
      throw new UsageError("grammars show needs a grammar name", "see 'quarry grammars list'");
    }
    const loaded = await loadGrammar(name);
    const { grammar, file } = loaded;
    const a = analyze(grammar);
    const samples = v.samples === undefined ? 3 : Number(v.samples);
    if (!Number.isInteger(samples) || samples < 0 || samples > 1000) {
      throw new UsageError(`--samples must be a whole number from 0 to 1000 (got ${v.samples})`);
    }
    const lines = [
      `${grammar.name}  (${file})`,
      "",
      grammar.description || "(no description)",
      "",
      `start rule:            ${grammar.start}`,
      `unique by construction: ${
        a.uniqueByConstruction ? "yes (every statement carries a unique() value)" : "no"
      }`,
      `default --unique:      ${grammar.unique ?? (a.uniqueByConstruction ? "structural" : "bloom")}${
        grammar.unique === "none" ? " (its statements repeat as an application's do)" : ""
      }`,
      `max depth:             ${grammar.maxDepth}`,
      `max statement bytes:   ${grammar.maxStatementBytes}`,
      "",
      "rules (height):",
      ...[...a.heights].map(([r, h]) => `  ${r} (${h})`),
    ];
    if (samples > 0) {
      const schemaSpec = (v.schema as string | undefined) ?? "default";
      const program = compileFor(loaded, loadSchema(schemaSpec), schemaSpec);
      const gen = new LocalGenerator(program, parseSeed("0") as Seed);
      lines.push("", "samples (seed 0):", ...gen.statements(0n, samples).map((s) => `  ${s};`));
    }
    console.log(lines.join("\n"));
    return 0;
  }
  throw new UsageError(
    `unknown action "${action}"`,
    "use 'quarry grammars list' or 'quarry grammars show NAME'",
  );
}
