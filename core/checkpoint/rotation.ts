/**
 * When `generate --output-dir` starts a new file (`--rotate`) and when it
 * takes a checkpoint (`--checkpoint-every`), and where a chunk of output is
 * cut so that every file ends at a statement boundary.
 *
 * @module
 */
import { BYTE_SUFFIX, COUNT_SUFFIX } from "../units.ts";

/** A file holds this many statements, or is closed at the first statement end at or after this many bytes. */
export type Rotation = { statements: number } | { bytes: number };

/** A checkpoint is due after this many statements, or this many seconds. */
export type Interval = { statements: number } | { seconds: number };

/**
 * Reads `--rotate`: a statement count (`1000`, `10k`, `5M`) or a size with a
 * byte unit (`100MB`, `1GiB`, `512kb`). Returns an error message for text that
 * is neither.
 *
 * @example Statements and bytes
 * ```ts
 * import { parseRotation } from "./rotation.ts";
 * const s = parseRotation("5M"), b = parseRotation("1GiB");
 * if (!("statements" in (s as object)) || (b as { bytes: number }).bytes !== 2 ** 30) throw new Error();
 * ```
 */
export function parseRotation(text: string): Rotation | string {
  const m = /^(\d[\d_]*)([a-z]*)$/i.exec(text.trim());
  const n = m ? Number(m[1]!.replaceAll("_", "")) : NaN;
  const unit = (m?.[2] ?? "").toLowerCase();
  const bad =
    `--rotate must be a statement count like 1000 or 10M, or a size like 100MB or 1GiB (got "${text}")`;
  if (!m || !Number.isSafeInteger(n)) return bad;
  if (unit in COUNT_SUFFIX) {
    const statements = n * COUNT_SUFFIX[unit]!;
    return statements >= 1 && Number.isSafeInteger(statements) ? { statements } : bad;
  }
  if (unit in BYTE_SUFFIX) {
    const bytes = n * BYTE_SUFFIX[unit]!;
    return bytes >= 1 && Number.isSafeInteger(bytes) ? { bytes } : bad;
  }
  return bad;
}

/**
 * Reads `--checkpoint-every`: statements (`1M`) or seconds (`5s`, `0.2s`).
 *
 * @example
 * ```ts
 * import { parseInterval } from "./rotation.ts";
 * const t = parseInterval("0.2s") as { seconds: number };
 * if (t.seconds !== 0.2) throw new Error();
 * ```
 */
export function parseInterval(text: string): Interval | string {
  const bad = `--checkpoint-every must be a statement count like 1M or seconds like 5s (got "${text}")`;
  const t = text.trim();
  const secs = /^(\d+(?:\.\d+)?)s$/i.exec(t);
  if (secs) {
    const seconds = Number(secs[1]);
    return seconds > 0 ? { seconds } : bad;
  }
  const r = parseRotation(t);
  return typeof r === "object" && "statements" in r ? r : bad;
}

/** Where a file must end inside a chunk: its first `bytes` bytes, holding `statements` statements. */
export interface Cut {
  bytes: number;
  statements: number;
}

/**
 * Where the current file ends inside `chunk` (whole statements, one line
 * each, `statements` of them), given what the file already holds; undefined
 * when the whole chunk belongs to it.
 *
 * @example Three statements a file
 * ```ts
 * import { cutPoint } from "./rotation.ts";
 * const chunk = new TextEncoder().encode("a;\nb;\nc;\n");
 * const cut = cutPoint(chunk, 3, { statements: 1, bytes: 3 }, { statements: 3 });
 * if (cut?.bytes !== 6 || cut.statements !== 2) throw new Error();
 * ```
 */
export function cutPoint(
  chunk: Uint8Array,
  statements: number,
  file: { statements: number; bytes: number },
  rotation: Rotation,
): Cut | undefined {
  if ("statements" in rotation) {
    const room = rotation.statements - file.statements;
    if (statements < room) return undefined;
    // The room-th line end of the chunk.
    let at = -1;
    for (let i = 0; i < room; i++) at = chunk.indexOf(10, at + 1);
    return { bytes: at + 1, statements: room };
  }
  if (file.bytes + chunk.length < rotation.bytes) return undefined;
  // The first line end at or after the size (a file already past it ends after its next statement).
  const end = chunk.indexOf(10, Math.max(0, rotation.bytes - file.bytes - 1));
  if (end < 0) return undefined;
  let n = 0;
  for (let at = chunk.indexOf(10); at >= 0 && at <= end; at = chunk.indexOf(10, at + 1)) n++;
  return { bytes: end + 1, statements: n };
}
