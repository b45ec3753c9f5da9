/**
 * Chunk compression for text outputs: each chunk becomes a complete gzip
 * member or zstd frame, and a file of them is one valid stream for every
 * reader (gzip -t, zstd -t, DuckDB, zcat).
 *
 * @module
 */
import { gzipSync, zstdCompressSync } from "node:zlib";

/** Compression of a text output. */
export type Compression = "none" | "gzip" | "zstd";

/** File name suffix of a compression. */
export function compressionSuffix(c: Compression): string {
  return c === "gzip" ? ".gz" : c === "zstd" ? ".zst" : "";
}

/**
 * A function that compresses one chunk (identity for "none").
 *
 * @example
 * ```ts
 * import { chunkCompressor } from "./compress.ts";
 * import { gunzipSync } from "node:zlib";
 * const gz = chunkCompressor("gzip")(new TextEncoder().encode("a,b\n"));
 * if (new TextDecoder().decode(gunzipSync(gz)) !== "a,b\n") throw new Error();
 * ```
 */
export function chunkCompressor(c: Compression): (chunk: Uint8Array) => Uint8Array {
  if (c === "gzip") return (b) => new Uint8Array(gzipSync(b, { level: 6 }));
  if (c === "zstd") return (b) => new Uint8Array(zstdCompressSync(b));
  return (b) => b;
}
