/**
 * A finding: a statement on which two databases disagree, or on which an
 * oracle sees a wrong result, with what each side gave (trimmed), the seed
 * and index that regenerate it, and its reduced form. Pure; no host calls.
 *
 * @module
 */

/** What kind of disagreement a finding is. */
export const FINDING_KINDS = ["result", "error", "affected", "contents", "tlp", "norec"] as const;

/** One of {@link FINDING_KINDS}. */
export type FindingKind = typeof FINDING_KINDS[number];

/** One finding. */
export interface Finding {
  kind: FindingKind;
  /** `kind:fingerprint` of the reduced statement: what an allowlist names. */
  key: string;
  /** Index of the statement in the run (`generate --seed S --at INDEX` prints it). */
  index: string;
  seed: string;
  /** The statement as generated (cut to 2,000 characters). */
  sql: string;
  /** The reduced statement that still shows the finding. */
  reduced: string;
  /** What differs, in a line. */
  detail: string;
  /** What each side gave: rows (first few), an error, a count. */
  a: string[];
  b: string[];
}

/** Text cut to `n` characters. */
export function trim(text: string, n = 2000): string {
  return text.length > n ? `${text.slice(0, n)}…` : text;
}

/** A finding as report lines. */
export function findingLines(f: Finding, names: readonly [string, string] = ["a", "b"]): string[] {
  return [
    `finding ${f.key} (${f.kind}) at --seed ${f.seed} --at ${f.index}: ${f.detail}`,
    `  statement: ${trim(f.sql, 300)}`,
    `  reduced (${new TextEncoder().encode(f.reduced).length} bytes): ${f.reduced}`,
    `  ${names[0]}: ${f.a.join(" ")}`,
    `  ${names[1]}: ${f.b.join(" ")}`,
  ];
}
