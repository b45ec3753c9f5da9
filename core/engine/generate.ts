/**
 * The one entry point for producing statements: small jobs run in the
 * calling thread, larger ones on workers. Both give the same bytes.
 *
 * @module
 */
import type { Program } from "../compile/compile.ts";
import { LocalGenerator } from "./local.ts";
import { planNone } from "./uniqueness.ts";
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
  const filter = options.filter ?? planNone("none");
  const gen = new LocalGenerator(program, options.seed, filter, options.filterState);
  const hooks = options.checkpoint;
  let first = options.start;
  let left = options.count;
  let statements = 0, bytes = 0, rejected = 0, exhausted = 0;
  while (left > 0) {
    options.signal?.throwIfAborted();
    const chunk = gen.chunk(first, left);
    await options.write(chunk.bytes, chunk.emitted);
    statements += chunk.emitted;
    rejected += chunk.rejected;
    exhausted += chunk.consumed - chunk.emitted;
    bytes += chunk.bytes.length;
    first += BigInt(chunk.consumed);
    left -= chunk.consumed;
    options.progress?.(statements, bytes, rejected, exhausted, 0);
    // One thread: the filter holds exactly the statements written, at every chunk.
    const consumed = options.count - left;
    if (hooks?.due(consumed)) {
      await hooks.take(consumed, filter.bytes > 0 ? gen.filterView() : undefined, { rejected, exhausted });
    }
  }
  return { statements, bytes, rejected, exhausted, filterPopulation: gen.filterPopulation() };
}
