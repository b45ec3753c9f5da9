/**
 * Loads what a command works from: a grammar (built-in name or module file),
 * a schema (`default` or a JSON file) or a file of statements, turning every
 * failure into a one-line UsageError that names the file and the fix.
 *
 * @module
 */
import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { Grammar } from "../core/dsl/grammar.ts";
import { mixGrammars, parseGrammarMix } from "../core/dsl/mix.ts";
import { GrammarError } from "../core/dsl/errors.ts";
import { analyze } from "../core/compile/analyze.ts";
import { parseSchema, SchemaError, schemaFromJson } from "../core/schema/parse.ts";
import type { Schema } from "../core/schema/model.ts";
import { compile, type Program } from "../core/compile/compile.ts";
import { BUILTIN_GRAMMARS } from "../grammars/mod.ts";
import defaultSchemaJson from "../configs/schemas/default.json" with { type: "json" };
import { UsageError } from "./errors.ts";

/** A grammar with the file it came from. */
export interface LoadedGrammar {
  grammar: Grammar;
  file: string;
}

function isGrammar(v: unknown): v is Grammar {
  return v instanceof Grammar ||
    (typeof v === "object" && v !== null && (v as Grammar).rules instanceof Map &&
      typeof (v as Grammar).name === "string");
}

/**
 * Loads and validates a grammar: a built-in name or a path to a module whose
 * default export is a Grammar. Requires `--allow-read` for files.
 */
export async function loadGrammar(spec: string): Promise<LoadedGrammar> {
  const builtin = BUILTIN_GRAMMARS.get(spec);
  let loaded: LoadedGrammar;
  if (builtin) loaded = builtin;
  else if (/[\\/]|\.(ts|js|mjs)$/.test(spec)) {
    const path = isAbsolute(spec) ? spec : resolve(Deno.cwd(), spec);
    try {
      if (!Deno.statSync(path).isFile) throw new UsageError(`grammar path "${spec}" is not a file`);
    } catch (e) {
      if (e instanceof UsageError) throw e;
      throw new UsageError(`cannot read grammar file "${spec}": ${(e as Error).message.split("\n")[0]}`);
    }
    let mod: { default?: unknown };
    try {
      mod = await import(pathToFileURL(path).href);
    } catch (e) {
      throw new UsageError(`grammar file "${spec}" failed to load: ${(e as Error).message.split("\n")[0]}`);
    }
    if (!isGrammar(mod.default)) {
      throw new UsageError(
        `grammar file "${spec}" has no default export of a Grammar`,
        'end it with "export default grammar(...)...;"',
      );
    }
    loaded = { grammar: mod.default, file: spec };
  } else {
    throw new UsageError(
      `unknown grammar "${spec}"`,
      `built-in grammars: ${[...BUILTIN_GRAMMARS.keys()].join(", ")}; or give the path of a grammar module`,
    );
  }
  try {
    analyze(loaded.grammar);
  } catch (e) {
    if (e instanceof GrammarError) throw new UsageError(e.withFile(loaded.file).message);
    throw e;
  }
  return loaded;
}

/**
 * Loads the grammars of `--grammars name:weight,...` and mixes them into one
 * (core/dsl/mix.ts). Requires `--allow-read` for grammar files.
 */
export async function loadGrammarMix(spec: string): Promise<LoadedGrammar> {
  const parts = parseGrammarMix(spec);
  if (typeof parts === "string") throw new UsageError(parts);
  const loaded = [];
  for (const p of parts) loaded.push({ grammar: (await loadGrammar(p.name)).grammar, weight: p.weight });
  const names = loaded.map((p) => p.grammar.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) throw new UsageError(`--grammars: two grammars are named "${twice}"`);
  const mixed = { grammar: mixGrammars("mix", loaded), file: `--grammars ${spec}` };
  try {
    analyze(mixed.grammar);
  } catch (e) {
    if (e instanceof GrammarError) throw new UsageError(e.withFile(mixed.file).message);
    throw e;
  }
  return mixed;
}

/** Loads `default` or a schema JSON file. Requires `--allow-read` for files. */
export function loadSchema(spec: string): Schema {
  if (spec === "default") return schemaFromJson(defaultSchemaJson);
  let text: string;
  try {
    text = Deno.readTextFileSync(spec);
  } catch (e) {
    throw new UsageError(`cannot read schema file "${spec}": ${(e as Error).message.split("\n")[0]}`);
  }
  try {
    return parseSchema(text);
  } catch (e) {
    if (e instanceof SchemaError) throw new UsageError(`schema file "${spec}": ${e.message}`);
    throw e;
  }
}

/** Compiles a loaded grammar against a schema; every problem becomes a UsageError. */
export function compileFor(loaded: LoadedGrammar, schema: Schema, schemaSpec: string): Program {
  try {
    return compile(loaded.grammar, schema);
  } catch (e) {
    if (e instanceof SchemaError) throw new UsageError(`schema "${schemaSpec}": ${e.message}`);
    if (e instanceof GrammarError) throw new UsageError(e.withFile(loaded.file).message);
    throw e;
  }
}

/**
 * The text of FILE, or of standard input for "-", as a stream of chunks; a
 * file that cannot be opened is a UsageError naming it. Requires
 * `--allow-read` for files.
 */
export function readText(spec: string): ReadableStream<string> {
  if (spec === "-") return Deno.stdin.readable.pipeThrough(new TextDecoderStream());
  try {
    // A folder opens but fails on the first read; name it now.
    if (Deno.statSync(spec).isDirectory) {
      throw new UsageError(`"${spec}" is a folder, not a file of statements`);
    }
    return Deno.openSync(spec).readable.pipeThrough(new TextDecoderStream());
  } catch (e) {
    if (e instanceof UsageError || e instanceof Deno.errors.NotCapable) throw e;
    // Deno's message ends in ": open 'PATH'"; the path is named already.
    const why = (e as Error).message.split("\n")[0]!.replace(/: \w+ '.*'$/, "");
    throw new UsageError(`cannot read "${spec}": ${why}`);
  }
}
