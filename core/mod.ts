/**
 * Quarry as a library: the grammar DSL, schemas, compilation and generation.
 *
 * @module
 */
export * from "./dsl/grammar.ts";
