/**
 * SHA-256 digests as lowercase hex, for checkpoints and manifests.
 *
 * @module
 */
import { createHash, type Hash } from "node:crypto";

/**
 * The SHA-256 of `data` (text is hashed as UTF-8), as 64 hex digits.
 *
 * @example
 * ```ts
 * import { sha256 } from "./digest.ts";
 * if (!sha256("").startsWith("e3b0c442")) throw new Error();
 * ```
 */
export function sha256(data: Uint8Array | string): string {
  return createHash("sha256").update(data).digest("hex");
}

/** An incremental SHA-256 (node:crypto's), for files written piece by piece. */
export function sha256Stream(): Hash {
  return createHash("sha256");
}
