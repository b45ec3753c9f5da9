/**
 * `manifest.json` of a `generate --output-dir` run: what the run was and,
 * per file, which statements it holds, its size and checksum.
 *
 * @module
 */

/** Format name and version written into every manifest. */
export const MANIFEST_FORMAT = { format: "quarry-generate-manifest", version: 1 } as const;

/** Compression of the part files. */
export type Compression = "none" | "gzip" | "zstd";

/** One closed output file. */
export interface ManifestFile {
  /** File name inside the directory. */
  name: string;
  /** The run's output line number of its first statement plus `start` (its index when none is skipped). */
  first: number;
  statements: number;
  /** Size as stored (compressed when compressed). */
  bytes: number;
  /** Size of its SQL text. */
  sqlBytes: number;
  /** SHA-256 of the file as stored. */
  sha256: string;
  compression: Compression;
}

/** What the manifest says about the run as a whole. */
export interface RunDescription {
  seed: string;
  grammar: string;
  schema: string;
  unique: string;
  /** Index of the first statement. */
  start: string;
  /** Indices the run covers. */
  count: number;
  /** `--rotate` as given, normalised. */
  rotate: string;
  compression: Compression;
}

/** The whole manifest. */
export interface Manifest {
  format: typeof MANIFEST_FORMAT.format;
  version: typeof MANIFEST_FORMAT.version;
  /** True once the run has finished; until then the file list is what has been closed so far. */
  complete: boolean;
  run: RunDescription;
  /** `--emit-setup`'s statements, kept out of the part files so their statement counts stay exact. */
  setup?: { name: string; bytes: number; sha256: string };
  files: ManifestFile[];
  statements: number;
  sqlBytes: number;
}

/**
 * The manifest's JSON text (two-space indented, ending in a newline).
 *
 * @example
 * ```ts
 * import { manifestJson } from "./manifest.ts";
 * const run = { seed: "1", grammar: "g", schema: "default", unique: "none", start: "0", count: 0,
 *   rotate: "1000", compression: "none" as const };
 * if (!manifestJson({ complete: true, run, files: [] }).includes('"complete": true')) throw new Error();
 * ```
 */
export function manifestJson(
  m: { complete: boolean; run: RunDescription; setup?: Manifest["setup"]; files: ManifestFile[] },
): string {
  const manifest: Manifest = {
    ...MANIFEST_FORMAT,
    complete: m.complete,
    run: m.run,
    ...(m.setup ? { setup: m.setup } : {}),
    files: m.files,
    statements: m.files.reduce((n, f) => n + f.statements, 0),
    sqlBytes: m.files.reduce((n, f) => n + f.sqlBytes, 0),
  };
  return JSON.stringify(manifest, null, 2) + "\n";
}
