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

/** A key's columns as one string (NUL cannot occur in PostgreSQL text); a one-column key is its text. */
const joined = (key: readonly (string | null)[]) => key.length === 1 ? String(key[0]) : key.join("\u0000");

/**
 * A pool of existing keys of one parent. Its index is an open-addressing
 * table of entry numbers over the keys' FNV hashes (linear probing,
 * deletion by shifting back): a Map that loses and gains a key on every
 * event, as a full pool does, costs several times more.
 */
export class KeyPool {
  readonly key: PoolKey;
  readonly #lists: LiveList[];
  /** Keys held, each as {@link joined}, in entry order, and their hashes. */
  readonly #ids: string[] = [];
  #hashes = new Int32Array(64);
  /**
   * Places of (entry number, its hash), the entry -1 where empty; at most a
   * quarter full. The hash sits beside the entry so that a probe reads one
   * cache line: under load, memory waits cost more than the compares.
   */
  #table = new Int32Array(2 * 256).fill(-1);
  /** 32 less the table's places in bits: a hash's home is its top bits after mixing ({@link #home}). */
  #shift = 32 - 8;

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
    return this.#ids.length;
  }

  /** Whether the pool holds `key` (tests, and the runner's accounting). */
  has(key: readonly (string | null)[]): boolean {
    const id = joined(key);
    return this.#find(id, slotHash(id) | 0) >= 0;
  }

  /** Keys held, in entry order (tests). */
  keys(): string[][] {
    const n = this.key.columns.length;
    return this.#ids.map((id) => n === 1 ? [id] : id.split("\u0000"));
  }

  /** Adds a key; a key with a NULL or too long for a slot is not held. */
  add(key: readonly (string | null)[]): void {
    const n = this.key.columns.length;
    if (key.length !== n) return;
    if (n === 1) return this.addOne(key[0] ?? null);
    for (let i = 0; i < n; i++) {
      const k = key[i];
      if (k === null || k === undefined || (this.#lists[i] && !this.#lists[i]!.fits(k))) return;
    }
    this.#put(key.join("\u0000"), key as readonly string[]);
  }

  /** {@link add} for a pool of one-column keys, without an array. */
  addOne(text: string | null): void {
    if (text === null || this.key.columns.length !== 1 || (this.#lists[0] && !this.#lists[0].fits(text))) {
      return;
    }
    this.#put(text, undefined);
  }

  /** Removes a key if held. */
  remove(key: readonly (string | null)[]): void {
    this.#drop(joined(key));
  }

  /** {@link remove} for a pool of one-column keys, without an array. */
  removeOne(text: string | null): void {
    if (this.key.columns.length === 1) this.#drop(String(text));
  }

  /** Holds `id`, whose columns are `columns` (or `id` itself for a one-column key). */
  #put(id: string, columns: readonly string[] | undefined): void {
    const unsigned = slotHash(id);
    const h = unsigned | 0;
    if (this.#find(id, h) >= 0) return;
    const capacity = this.#lists[0]?.capacity ?? 1 << 16;
    let at = this.#ids.length;
    if (at >= capacity) {
      at = unsigned % capacity;
      this.#unlink(this.#find(this.#ids[at]!, this.#hashes[at]!));
      this.#ids[at] = id;
    } else {
      this.#ids.push(id);
      if (at === this.#hashes.length) this.#grow();
    }
    this.#hashes[at] = h;
    this.#place(~this.#find(id, h), at);
    for (let i = 0; i < this.#lists.length; i++) this.#lists[i]!.set(at, columns ? columns[i]! : id);
  }

  #drop(id: string): void {
    const h = slotHash(id) | 0;
    const pos = this.#find(id, h);
    if (pos < 0) return;
    const at = this.#table[2 * pos]!;
    this.#unlink(pos);
    const last = this.#ids.length - 1;
    if (at !== last) {
      const moved = this.#ids[last]!, hash = this.#hashes[last]!;
      this.#table[2 * this.#find(moved, hash)] = at;
      this.#ids[at] = moved;
      this.#hashes[at] = hash;
    }
    this.#ids.pop();
    for (const l of this.#lists) l.remove(at);
  }

  /** The place of `id` (hash `h`) in the table, or ~(the empty place it would take). */
  #find(id: string, h: number): number {
    const t = this.#table, mask = (t.length >> 1) - 1;
    for (let i = this.#home(h);; i = (i + 1) & mask) {
      const e = t[2 * i]!;
      if (e < 0) return ~i;
      if (t[2 * i + 1] === h && this.#ids[e] === id) return i;
    }
  }

  /** Empties place `pos`, moving later entries of its run back so every entry stays reachable. */
  #unlink(pos: number): void {
    const t = this.#table, mask = (t.length >> 1) - 1;
    let gap = pos;
    for (let i = (pos + 1) & mask;; i = (i + 1) & mask) {
      const e = t[2 * i]!;
      if (e < 0) break;
      const home = this.#home(t[2 * i + 1]!);
      // The entry may fill the gap unless its home lies cyclically after the gap.
      if (((i - home) & mask) >= ((i - gap) & mask)) {
        t[2 * gap] = e;
        t[2 * gap + 1] = t[2 * i + 1]!;
        gap = i;
      }
    }
    t[2 * gap] = -1;
  }

  /**
   * Where hash `h` starts its probe: FNV-1a's low bits depend only on the
   * keys' low bits (keys like "1041", "1042" crowd together), so the hash
   * is mixed by a multiply and its top bits taken.
   */
  #home(h: number): number {
    return Math.imul(h, 0x9e3779b1) >>> this.#shift;
  }

  /** Twice the entries and table room, the table rebuilt. */
  #grow(): void {
    const hashes = new Int32Array(2 * this.#hashes.length);
    hashes.set(this.#hashes);
    this.#hashes = hashes;
    const places = 4 * hashes.length;
    this.#table = new Int32Array(2 * places).fill(-1);
    this.#shift = 32 - Math.log2(places);
    for (let e = 0; e < this.#ids.length - 1; e++) this.#place(~this.#find(this.#ids[e]!, hashes[e]!), e);
  }

  #place(pos: number, entry: number): void {
    this.#table[2 * pos] = entry;
    this.#table[2 * pos + 1] = this.#hashes[entry]!;
  }
}
