/**
 * How the CLI fails: each class maps to an exit code documented in `--help`.
 *
 * @module
 */

/** Exit codes. */
export const EXIT = {
  ok: 0,
  /** An unexpected error: a bug in Quarry. */
  internal: 1,
  /** Bad flags, or a grammar/schema that cannot be used. */
  usage: 2,
  /** The environment failed: a file could not be written, a statement could not be generated. */
  runtime: 3,
  /** generate: stopped by a fatal alert of the config's monitoring block (at a checkpoint where there is one). */
  alert: 4,
  /** Stopped by Ctrl-C (SIGINT); partial output files are removed. */
  interrupted: 130,
} as const;

/** Wrong input from the user; exit code 2. */
export class UsageError extends Error {
  constructor(message: string, readonly hint?: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** A failure of the environment or of a run; exit code 3. */
export class RuntimeFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RuntimeFailure";
  }
}

/** The user pressed Ctrl-C; exit code 130. */
export class Interrupted extends Error {
  constructor() {
    super("interrupted");
    this.name = "Interrupted";
  }
}

/** A fatal monitoring alert stopped the run; exit code 4. */
export class AlertStop extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AlertStop";
  }
}
