/**
 * Accepted differences: a file of finding keys (`kind:fingerprint`, as a
 * report prints them), one a line, `#` starting a comment. A rerun reports
 * only findings whose key is not listed. Pure; the caller reads the file.
 *
 * @module
 */
import { FINDING_KINDS } from "./finding.ts";

/** A line of an allowlist that is not a finding key. */
export class AllowlistError extends SyntaxError {
  constructor(message: string, readonly line: number) {
    super(message);
    this.name = "AllowlistError";
  }
}

const KEY = new RegExp(`^(${FINDING_KINDS.join("|")}):[0-9a-f]{8,16}$`);

/**
 * The keys of an allowlist's text.
 *
 * @throws {AllowlistError} at the first line that is not a key.
 */
export function parseAllowlist(text: string): Set<string> {
  const keys = new Set<string>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*$/, "").trim();
    if (line === "") return;
    if (!KEY.test(line)) {
      throw new AllowlistError(
        `"${
          line.length > 40 ? `${line.slice(0, 40)}…` : line
        }" is not a finding key like result:8a1f03c2d4e5b6a7 ` +
          `(kinds: ${FINDING_KINDS.join(", ")})`,
        i + 1,
      );
    }
    keys.add(line);
  });
  return keys;
}
