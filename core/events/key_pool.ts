/**
 * The keys of one parent table that foreign keys draw from: a sample of the
 * rows that exist, kept in step as the run inserts rows (their keys come
 * in) and deletes them (their keys go). The keys sit in the kernel's live
 * lists (core/values/live_list.ts), one list per key column, entry i of
 * every list being one key, so the kernel picks a whole existing key.
 *
 * Which entry a new key replaces when the pool is full follows from the key
 * alone, so a run repeats exactly for the same seeds and database.
 *
 * @module
 */
import { LiveList } from "../values/live_list.ts";
import type { LiveListAddress } from "../values/live_list.ts";
import type { PoolKey } from "./tables.ts";

/** FNV-1a over a key's text: where a key lands in a full pool. */
function slotHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** A pool of existing keys of one parent. */
export class KeyPool {
  readonly key: PoolKey;
  readonly #lists: LiveList[];
  readonly #keys: string[][] = [];
  readonly #index = new Map<string, number>();

  /**
   * @param key Which parent and key columns.
   * @param memory The kernel memory holding the compiled image.
   * @param lists The pool's live lists in that image (one per key column), or none when no churned table draws from it.
   */
  constructor(key: PoolKey, memory: WebAssembly.Memory, lists: readonly LiveListAddress[] = []) {
    this.key = key;
    this.#lists = lists.map((at) => new LiveList(memory, at));
  }

  /** Keys held. */
  get size(): number {
    return this.#keys.length;
  }

  /** Whether the pool holds `key` (tests, and the runner's accounting). */
  has(key: readonly (string | null)[]): boolean {
    return this.#index.has(key.length === 1 ? String(key[0]) : key.join("\u0000"));
  }

  /** Keys held, in entry order (tests). */
  keys(): string[][] {
    return this.#keys.map((k) => [...k]);
  }

  /** Adds a key; a key with a NULL or too long for a slot is not held. */
  add(key: readonly (string | null)[]): void {
    const n = this.key.columns.length;
    if (key.length !== n) return;
    for (let i = 0; i < n; i++) {
      const k = key[i];
      if (k === null || k === undefined || (this.#lists[i] && !this.#lists[i]!.fits(k))) return;
    }
    const k = key as readonly string[];
    const id = n === 1 ? k[0]! : k.join("\u0000");
    if (this.#index.has(id)) return;
    const capacity = this.#lists[0]?.capacity ?? 1 << 16;
    let at = this.#keys.length;
    if (at >= capacity) {
      at = slotHash(id) % capacity;
      const old = this.#keys[at]!;
      this.#index.delete(n === 1 ? old[0]! : old.join("\u0000"));
      this.#keys[at] = k.slice();
    } else this.#keys.push(k.slice());
    this.#index.set(id, at);
    for (let i = 0; i < this.#lists.length; i++) this.#lists[i]!.set(at, k[i]!);
  }

  /** Removes a key if held. */
  remove(key: readonly (string | null)[]): void {
    const id = key.length === 1 ? String(key[0]) : key.join("\u0000");
    const at = this.#index.get(id);
    if (at === undefined) return;
    this.#index.delete(id);
    const last = this.#keys.length - 1;
    if (at !== last) {
      const moved = this.#keys[last]!;
      this.#keys[at] = moved;
      this.#index.set(moved.length === 1 ? moved[0]! : moved.join("\u0000"), at);
    }
    this.#keys.pop();
    for (const l of this.#lists) l.remove(at);
  }
}
