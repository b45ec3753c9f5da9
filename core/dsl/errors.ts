/**
 * The error a grammar author sees when a grammar cannot be used.
 *
 * @module
 */

/** A grammar that fails validation: names the grammar, its file, the rule and why. */
export class GrammarError extends Error {
  /**
   * @param grammar Grammar name.
   * @param rule Rule where the problem is, if any.
   * @param reason What is wrong and how to fix it.
   * @param file Module the grammar came from, when known.
   */
  constructor(
    readonly grammar: string,
    readonly rule: string | undefined,
    readonly reason: string,
    readonly file?: string,
  ) {
    super(
      `grammar "${grammar}"${file ? ` (${file})` : ""}${
        rule === undefined ? "" : `, rule "${rule}"`
      }: ${reason}`,
    );
    this.name = "GrammarError";
  }

  /** The same error with the grammar's file attached. */
  withFile(file: string): GrammarError {
    return new GrammarError(this.grammar, this.rule, this.reason, file);
  }
}
