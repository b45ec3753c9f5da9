/**
 * `generate --format jsonl`: each statement as one JSON line with its
 * metadata (`core/api/metadata.ts`): `{"index", "kind", "tables",
 * "features", "sql"}`, and the counts `--stats` adds per kind and feature.
 * The text path never comes here, so it costs nothing there.
 *
 * @module
 */
import { type Statement, statementMetadata } from "../../core/api/metadata.ts";
import { loadParser } from "../../core/exec/parser.ts";

/** Counts of statements per kind and per feature. */
export interface KindStats {
  kinds: Record<string, number>;
  features: Record<string, number>;
}

/** Turns the engine's `…;\n` lines into JSON lines, counting kinds and features as it goes. */
export class JsonlWriter {
  readonly #write: (bytes: Uint8Array) => void;
  readonly #decoder = new TextDecoder();
  readonly #encoder = new TextEncoder();
  #rest = "";
  #index: number;
  readonly stats: KindStats = { kinds: {}, features: {} };

  /**
   * @param write Where the JSON lines go.
   * @param first Index of the first statement.
   */
  constructor(write: (bytes: Uint8Array) => void, first: number) {
    this.#write = write;
    this.#index = first;
  }

  /** Loads the parser the metadata comes from; call once before writing. */
  static ready(): Promise<void> {
    return loadParser();
  }

  /** Takes a chunk of statements, each ending in `;\n`; a chunk may end inside one. */
  write(bytes: Uint8Array): void {
    const text = this.#rest + this.#decoder.decode(bytes, { stream: true });
    const lines = text.split("\n");
    this.#rest = lines.pop()!;
    if (lines.length === 0) return;
    this.#write(this.#encoder.encode(lines.map((line) => this.#line(line)).join("")));
  }

  #line(line: string): string {
    const s: Statement = statementMetadata(line, this.#index++);
    this.stats.kinds[s.kind] = (this.stats.kinds[s.kind] ?? 0) + 1;
    for (const f of s.features) this.stats.features[f] = (this.stats.features[f] ?? 0) + 1;
    return `${
      JSON.stringify({ index: s.index, kind: s.kind, tables: s.tables, features: s.features, sql: s.sql })
    }\n`;
  }
}
