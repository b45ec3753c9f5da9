/**
 * Quarry as a library: the grammar DSL, schemas, compilation and generation,
 * and the data generator (`dataGenerator`).
 * A grammar module imports from here (`import { grammar } from "quarry"`)
 * and default-exports its Grammar.
 *
 * @module
 */
export * from "./dsl/grammar.ts";
export { GrammarError } from "./dsl/errors.ts";
export { compile, type Program } from "./compile/compile.ts";
export type * from "./schema/model.ts";
export { parseSchema, SchemaError, schemaFromJson } from "./schema/parse.ts";
export { createSchemaStatements } from "./schema/ddl.ts";
export { setupStatements } from "./setup/setup.ts";
export { formatSeed, parseSeed, randomSeed, type Seed } from "./seed.ts";
export { generate, LOCAL_LIMIT } from "./engine/generate.ts";
export { LocalGenerator } from "./engine/local.ts";
export { GenerationError } from "./engine/errors.ts";
export { quoteIdent, quoteLiteral } from "./dialect/quote.ts";
export {
  DataGenerator,
  dataGenerator,
  type DataGeneratorOptions,
  type WriteOptions,
} from "./data/generator.ts";
export type * from "./data/spec.ts";
export { parseSpec, SpecError } from "./data/parse_spec.ts";
