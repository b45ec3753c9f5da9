/**
 * The one entry point for producing statements: small jobs run in the
 * calling thread, larger ones on workers. Both give the same bytes.
 *
 * @module
 */
import type { Program } from "../compile/compile.ts";
import { LocalGenerator } from "./local.ts";
import { generateParallel, type ParallelOptions, type ParallelResult } from "./parallel.ts";

/** Jobs up to this many statements skip worker start-up. */
export const LOCAL_LIMIT = 20000;

/**
 * Generates statements [start, start + count) into `options.write`.
 *
 * @throws {GenerationError} for a statement that cannot be generated.
 */
export async function generate(program: Program, options: ParallelOptions): Promise<ParallelResult> {
  if (options.count > LOCAL_LIMIT) return await generateParallel(program, options);
  const gen = new LocalGenerator(program, options.seed);
  let first = options.start;
  let left = options.count;
  let statements = 0;
  let bytes = 0;
  while (left > 0) {
    options.signal?.throwIfAborted();
    const chunk = gen.chunk(first, left);
    await options.write(chunk.bytes);
    statements += chunk.statements;
    bytes += chunk.bytes.length;
    first += BigInt(chunk.statements);
    left -= chunk.statements;
    options.progress?.(statements, bytes);
  }
  return { statements, bytes };
}
