/**
 * Quarry's statement API: `generator({ seed, schema })` and statements with
 * their kind, tables and features. Kept apart from `core/mod.ts`, which
 * grammar modules import, because it loads PostgreSQL's parser.
 *
 * @example
 * ```ts
 * import { generator } from "./mod.ts";
 * const g = await generator({ seed: "7" });
 * const u = g.update({ where: true, returning: true });
 * if (u.kind !== "update" || !u.features.includes("where")) throw new Error(u.sql);
 * ```
 *
 * @module
 */
export {
  type DdlOptions,
  generator,
  type GeneratorOptions,
  type GrammarInfo,
  type NamedGrammar,
  StatementGenerator,
} from "./generator.ts";
export { FEATURES, type Statement, statementMetadata } from "./metadata.ts";
export type { InsertOptions, SelectOptions, WriteOptions } from "./shapes.ts";
