/**
 * The hand-written generator (assembly/statements.ts) over a compiled program's
 * records in a fresh shared memory, one thread.
 *
 * @module
 */
import type { Program } from "../../core/compile/compile.ts";
import type { Seed } from "../../core/seed.ts";
import { loadProgram } from "../../core/engine/local.ts";
import { bufferAddr } from "../../core/engine/job_layout.ts";
import { decodeBase64 } from "../../wasm/_encoding.ts";
import { STATEMENTS_BASE64 } from "./statements_wasm.ts";

interface Exports {
  init(pool: number, tables: number, count: number): void;
  setSeed(a: bigint, b: bigint, c: bigint, d: bigint): void;
  generate(first: bigint, count: number, buf: number, cap: number): number;
  lastLength: WebAssembly.Global;
}

/** Writes `count` statements through `write` (chunks of about 2 MiB); returns the bytes. */
export function handwrittenStatements(
  program: Program,
  tableCount: number,
  seed: Seed,
  count: number,
  write: (bytes: Uint8Array) => void,
): number {
  const { memory, layout } = loadProgram(program, 1);
  const module = new WebAssembly.Module(decodeBase64(STATEMENTS_BASE64) as BufferSource);
  const k = new WebAssembly.Instance(module, { env: { memory, abort: () => {} } })
    .exports as unknown as Exports;
  const codeWords = new DataView(program.image.buffer, program.image.byteOffset).getInt32(4, true);
  k.init(program.poolAddr, program.codeAddr + codeWords * 4, tableCount);
  k.setSeed(...seed);
  const buf = bufferAddr(layout, 0, 0);
  const bytes = new Uint8Array(memory.buffer);
  let first = 0n, total = 0;
  for (let left = count; left > 0;) {
    const n = k.generate(first, left, buf, layout.bufferBytes);
    const len = k.lastLength.value as number;
    write(bytes.subarray(buf, buf + len));
    total += len;
    first += BigInt(n);
    left -= n;
  }
  return total;
}
