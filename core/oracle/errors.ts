/**
 * When two failures agree: the same SQLSTATE class (its first two
 * characters), or with `strict` the same code. Pure; no host calls.
 *
 * @module
 */

/** The SQLSTATE class of a code: `22012` → `22`. */
export function sqlstateClass(code: string): string {
  return code.slice(0, 2);
}

/** Whether failures with codes `a` and `b` agree. */
export function errorsAgree(a: string, b: string, strict = false): boolean {
  return strict ? a === b : sqlstateClass(a) === sqlstateClass(b);
}
