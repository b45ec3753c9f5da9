/**
 * `checkpoint.json` of a `generate --output-dir` run: everything a resumed
 * run needs to continue byte for byte, and the digests that tell whether the
 * command line still describes the same run.
 *
 * @module
 */
import { sha256 } from "./digest.ts";
import type { ManifestFile, RunDescription } from "./manifest.ts";

/** Format name and version written into every checkpoint. */
export const CHECKPOINT_FORMAT = { format: "quarry-generate-checkpoint", version: 1 } as const;

/**
 * What identifies a run. Two runs with equal identities produce the same
 * bytes; `--workers` is not part of it, since output does not depend on it.
 */
export interface RunIdentity {
  seed: string;
  /** SHA-256 of the grammar: of its module file, or of the built-in's name. */
  grammar: string;
  /** SHA-256 of the schema's JSON. */
  schema: string;
  /** SHA-256 of the compiled program (catches a changed Quarry or a changed module the grammar imports). */
  program: string;
  /** SHA-256 of {@link RunIdentity.settingsText}. */
  settings: string;
  /** The settings, canonical JSON: start, count, rotate, compression, unique mode and filter size, shard. */
  settingsText: string;
}

/** The file being written at the checkpoint: its prefix up to `bytes` is on disk (fsynced). */
export interface CurrentFile extends Omit<ManifestFile, "sha256"> {
  /** SHA-256 of the committed prefix. */
  sha256: string;
}

/** A filter snapshot file: its name in the run's directory, size and SHA-256. */
export interface FilterSnapshot {
  name: string;
  bytes: number;
  sha256: string;
}

/** A checkpoint. */
export interface Checkpoint {
  format: typeof CHECKPOINT_FORMAT.format;
  version: typeof CHECKPOINT_FORMAT.version;
  identity: RunIdentity;
  /** The flags that rebuild the run (`--resume DIR` alone), as flag name → value. */
  flags: Record<string, string | boolean>;
  run: RunDescription;
  /** Index of the next statement to generate. */
  next: string;
  /** Files closed before the current one, as in the manifest. */
  files: ManifestFile[];
  /** The open file, or null between files. */
  current: CurrentFile | null;
  /** The setup file, when --emit-setup wrote one. */
  setup?: { name: string; bytes: number; sha256: string };
  counters: { statements: number; sqlBytes: number; rejected: number; exhausted: number };
  /**
   * The uniqueness filter (bloom bits or exact table) holding exactly the
   * statements before `next`, as a file beside the checkpoint; absent without
   * a filter, and at the run's start, where the filter is empty.
   */
  filter?: FilterSnapshot;
  /** SHA-256 of this JSON without the `checksum` key: a checkpoint edited or damaged on disk is refused. */
  checksum?: string;
}

/** The checkpoint's JSON text, its checksum included. */
export function checkpointJson(c: Omit<Checkpoint, "format" | "version" | "checksum">): string {
  const body = { ...CHECKPOINT_FORMAT, ...c };
  return JSON.stringify({ ...body, checksum: sha256(JSON.stringify(body)) }, null, 2) + "\n";
}

/** A checkpoint file that cannot be used: truncated, corrupt, of another format. */
export class CheckpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CheckpointError";
  }
}

/**
 * Reads a checkpoint's text; checks its format, version and checksum.
 *
 * @throws {CheckpointError} when it is not a complete, intact checkpoint.
 */
export function parseCheckpoint(text: string): Checkpoint {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new CheckpointError(`is not valid JSON (truncated or corrupt: ${(e as Error).message})`);
  }
  const c = value as Partial<Checkpoint> | null;
  if (typeof c !== "object" || c === null || c.format !== CHECKPOINT_FORMAT.format) {
    throw new CheckpointError(`is not a Quarry generate checkpoint`);
  }
  if (c.version !== CHECKPOINT_FORMAT.version) {
    throw new CheckpointError(
      `has version ${c.version}; this Quarry reads version ${CHECKPOINT_FORMAT.version}`,
    );
  }
  const { checksum, ...body } = c;
  if (checksum !== sha256(JSON.stringify(body))) {
    throw new CheckpointError("does not match its checksum (edited or damaged)");
  }
  return c as Checkpoint;
}

/**
 * The first way `now` differs from the run a checkpoint was written for, as
 * a phrase for an error line; undefined when they are the same run.
 */
export function identityDifference(saved: RunIdentity, now: RunIdentity): string | undefined {
  if (saved.seed !== now.seed) return `the seed differs (checkpoint: ${saved.seed}, now: ${now.seed})`;
  if (saved.grammar !== now.grammar) return "the grammar differs from the checkpoint's";
  if (saved.schema !== now.schema) return "the schema differs from the checkpoint's";
  if (saved.settings !== now.settings) {
    const a = JSON.parse(saved.settingsText) as Record<string, unknown>;
    const b = JSON.parse(now.settingsText) as Record<string, unknown>;
    const key = [...new Set([...Object.keys(a), ...Object.keys(b)])].find((k) =>
      JSON.stringify(a[k]) !== JSON.stringify(b[k])
    );
    return key === undefined
      ? "the run's settings differ from the checkpoint's"
      : `${key} differs (checkpoint: ${JSON.stringify(a[key])}, now: ${JSON.stringify(b[key])})`;
  }
  if (saved.program !== now.program) {
    return "the compiled grammar differs from the checkpoint's (another Quarry version, or a module the grammar imports changed)";
  }
  return undefined;
}
