/**
 * Syntax checks with PostgreSQL's own parser (npm:libpg-query, compiled to
 * WASM). Requires `--allow-read` for the parser's .wasm file.
 *
 * @module
 */
import { loadModule, parseSync } from "libpg-query";

let ready: Promise<void> | undefined;

/** Loads the parser once. */
export function loadParser(): Promise<void> {
  ready ??= loadModule();
  return ready;
}

/** The parse tree of `sql`, or the parser's error message. Call `loadParser` first. */
export function parseStatement(sql: string): { tree: unknown } | { error: string } {
  try {
    return { tree: parseSync(sql) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}
