/**
 * Quarry's WebAssembly kernel: xoshiro256**, the grammar VM and the shared
 * memory layout. Rebuild with `deno task wasm:build`; see wasm/README.md.
 *
 * @module
 */
export * from "./kernel.ts";
export * from "./layout.ts";
export * from "./opcodes.ts";
