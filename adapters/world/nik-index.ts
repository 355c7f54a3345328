/** Compact typed-array tables for the world: a NIK index and serial counters. */

// Written by hand: a JS Map of a million 16-character keys (plus the strings themselves) costs
// ~100 MB and most of the world's generation time. Here a NIK is never stored as a string: it is
// the pair (district code, ddmmyy·10⁴ + serial), rebuilt on demand, and the index is a
// power-of-two table of Int32 slots probed linearly (8 MB for a million persons).

/** How the index reads the NIK of a stored person, as its two numeric halves. */
export interface NikKeys {
  /** The first six digits (issuing district) as a number. */
  high(index: number): number;
  /** The last ten digits (DDMMYY and serial) as a number. */
  low(index: number): number;
}

/** An index from NIK to person index. */
export class NikIndex {
  private readonly slots: Int32Array;
  private readonly mask: number;

  constructor(
    capacity: number,
    private readonly keys: NikKeys,
  ) {
    let size = 1024;
    while (size < capacity * 2) size *= 2;
    this.slots = new Int32Array(size).fill(-1);
    this.mask = size - 1;
  }

  /** Records an index under its NIK; the first index stored for a NIK wins. */
  add(index: number): void {
    const high = this.keys.high(index);
    const low = this.keys.low(index);
    let slot = mix(high, low) & this.mask;
    for (;;) {
      const held = this.slots[slot] ?? -1;
      if (held < 0) {
        this.slots[slot] = index;
        return;
      }
      if (this.keys.high(held) === high && this.keys.low(held) === low) return;
      slot = (slot + 1) & this.mask;
    }
  }

  /** The index stored for this NIK, or -1 (also for anything that is not 16 ASCII digits). */
  get(nik: string): number {
    if (nik.length !== 16) return -1;
    let high = 0;
    let low = 0;
    for (let i = 0; i < 16; i++) {
      const digit = nik.charCodeAt(i) - 48;
      if (digit < 0 || digit > 9) return -1;
      if (i < 6) high = high * 10 + digit;
      else low = low * 10 + digit;
    }
    let slot = mix(high, low) & this.mask;
    for (;;) {
      const held = this.slots[slot] ?? -1;
      if (held < 0 || (this.keys.high(held) === high && this.keys.low(held) === low)) return held;
      slot = (slot + 1) & this.mask;
    }
  }
}

function mix(high: number, low: number): number {
  // low has up to 34 bits: fold its upper part in before mixing.
  let h =
    Math.imul(high, 0x9e3779b1) ^ (low | 0) ^ Math.imul(Math.floor(low / 4294967296), 0x85ebca6b);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

/** Counts occurrences of small non-negative integer keys (< 2^31) in typed arrays. */
export class SerialCounter {
  private readonly keys: Int32Array;
  private readonly counts: Uint16Array;
  private readonly mask: number;

  constructor(capacity: number) {
    let size = 1024;
    while (size < capacity * 2) size *= 2;
    this.keys = new Int32Array(size).fill(-1);
    this.counts = new Uint16Array(size);
    this.mask = size - 1;
  }

  /** 1 the first time a key is seen, then 2, 3, … */
  next(key: number): number {
    let slot = Math.imul(key ^ (key >>> 15), 0x2c1b3c6d) & this.mask;
    for (;;) {
      const held = this.keys[slot] ?? -1;
      if (held === key || held < 0) {
        this.keys[slot] = key;
        const count = (this.counts[slot] ?? 0) + 1;
        this.counts[slot] = count;
        return count;
      }
      slot = (slot + 1) & this.mask;
    }
  }
}
