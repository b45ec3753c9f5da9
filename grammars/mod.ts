/**
 * The built-in grammar catalogue.
 *
 * @module
 */
import type { Grammar } from "../core/dsl/grammar.ts";
import dmlUnique from "./dml_unique.ts";

/** A built-in grammar and the module that defines it. */
export interface BuiltinGrammar {
  grammar: Grammar;
  /** Repository-relative path, for error messages and `grammars show`. */
  file: string;
}

/** Built-in grammars by name. */
export const BUILTIN_GRAMMARS: ReadonlyMap<string, BuiltinGrammar> = new Map([
  ["dml_unique", { grammar: dmlUnique, file: "grammars/dml_unique.ts" }],
]);

/** The grammar `generate` uses when none is named. */
export const DEFAULT_GRAMMAR = "dml_unique";
