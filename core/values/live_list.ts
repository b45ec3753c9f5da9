/**
 * Value lists whose entries change while a row program runs: the keys of
 * rows that exist now, which `quarry events` keeps in step with the database
 * (inserted keys come in, deleted ones go). A live list has the layout of
 * any uniform value list (see `writeList`), so the kernel's pick reads its
 * count and entries as they are at each draw; each entry owns a fixed slot
 * of `slotBytes` in an arena beside it. The text held is the database's own
 * output for the key (what `::text` gives), and the kernel quotes it as a
 * literal when it writes a row: nothing here formats a value.
 *
 * An empty list holds one NULL entry, so a draw from it gives NULL rather
 * than reading past the end.
 *
 * @module
 */
import type { ImageBuilder } from "./image.ts";

/** Where a live list lives in the image. */
export interface LiveListAddress {
  list: number;
  arena: number;
  capacity: number;
  slotBytes: number;
}

/** Reserves a live list of `capacity` entries in an image, empty (one NULL entry). */
export function writeLiveList(image: ImageBuilder, capacity: number, slotBytes: number): LiveListAddress {
  const list = image.alloc(16 + capacity * 8, 8);
  const arena = image.alloc(capacity * slotBytes, 8);
  image.u32(list + 4, 1);
  image.i32(list + 16, 0);
  image.u32(list + 20, 0xffffffff);
  return { list, arena, capacity, slotBytes };
}

const encoder = new TextEncoder();

/** A live list in a kernel's memory: entries set and removed in place. */
export class LiveList {
  readonly #view: DataView;
  readonly #bytes: Uint8Array;
  readonly #at: LiveListAddress;
  #count = 0;

  /**
   * @param memory The memory the image was loaded into (at its absolute addresses).
   * @param at The list's addresses, from {@link writeLiveList}.
   */
  constructor(memory: WebAssembly.Memory, at: LiveListAddress) {
    this.#view = new DataView(memory.buffer);
    this.#bytes = new Uint8Array(memory.buffer);
    this.#at = at;
  }

  /** Entries held (0 while the list draws NULL). */
  get count(): number {
    return this.#count;
  }

  get capacity(): number {
    return this.#at.capacity;
  }

  /** Whether `text` fits a slot. */
  fits(text: string): boolean {
    // A UTF-16 unit is at most 3 UTF-8 bytes: most keys need no encoding to know.
    return text.length * 3 <= this.#at.slotBytes || encoder.encode(text).length <= this.#at.slotBytes;
  }

  /**
   * Sets entry `i` (0 ≤ i ≤ count; i = count appends). NULL is an entry too.
   * @throws {RangeError} When the text is longer than a slot or the list is full.
   */
  set(i: number, text: string | null): void {
    const { list, arena, slotBytes, capacity } = this.#at;
    if (i > this.#count || i >= capacity) throw new RangeError(`live list entry ${i} is past its end`);
    const e = list + 16 + i * 8;
    const slot = arena + i * slotBytes;
    if (text === null) {
      this.#view.setInt32(e, 0, true);
      this.#view.setUint32(e + 4, 0xffffffff, true);
    } else {
      let written = this.#ascii(text, slot);
      if (written < 0 && text.length * 3 <= slotBytes) {
        written = encoder.encodeInto(text, this.#bytes.subarray(slot, slot + slotBytes)).written;
      } else if (written < 0) {
        // Measured before anything is written: a text that does not fit leaves the entry as it was.
        const bytes = encoder.encode(text);
        if (bytes.length > slotBytes) {
          throw new RangeError(`a key of over ${slotBytes} bytes does not fit its slot`);
        }
        this.#bytes.set(bytes, slot);
        written = bytes.length;
      }
      this.#view.setInt32(e, slot, true);
      this.#view.setUint32(e + 4, written, true);
    }
    if (i === this.#count) this.#count++;
    this.#view.setUint32(list + 4, Math.max(1, this.#count), true);
  }

  /**
   * Copies an ASCII text that fits a slot byte by byte (most keys: numbers,
   * uuids), with no encoder call; -1 for any other text, leaving the slot's
   * bytes past the copied prefix as they were.
   */
  #ascii(text: string, slot: number): number {
    if (text.length > this.#at.slotBytes) return -1;
    for (let j = 0; j < text.length; j++) if (text.charCodeAt(j) > 127) return -1;
    for (let j = 0; j < text.length; j++) this.#bytes[slot + j] = text.charCodeAt(j);
    return text.length;
  }

  /** Removes entry `i`, moving the last entry into its place. */
  remove(i: number): void {
    const { list, arena, slotBytes } = this.#at;
    const last = this.#count - 1;
    if (i < 0 || i > last) throw new RangeError(`live list entry ${i} is past its end`);
    if (i !== last) {
      const from = list + 16 + last * 8;
      const to = list + 16 + i * 8;
      const len = this.#view.getUint32(from + 4, true);
      if (len === 0xffffffff) {
        this.#view.setInt32(to, 0, true);
      } else {
        const src = arena + last * slotBytes;
        this.#bytes.copyWithin(arena + i * slotBytes, src, src + len);
        this.#view.setInt32(to, arena + i * slotBytes, true);
      }
      this.#view.setUint32(to + 4, len, true);
    }
    this.#count--;
    if (this.#count === 0) {
      this.#view.setInt32(list + 16, 0, true);
      this.#view.setUint32(list + 20, 0xffffffff, true);
    }
    this.#view.setUint32(list + 4, Math.max(1, this.#count), true);
  }
}
