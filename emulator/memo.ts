/**
 * A bounded memo for the emulator's deterministic but costly work (PNG encoding, embedding vectors): the same
 * request always gets the same bytes, so a repeated request (test suites send many) need not redo it.
 */
export class Memo<V> {
  private readonly entries = new Map<string, V>();
  private weight = 0;

  /** Keeps at most `maxWeight` units (as `weigh` counts them); the oldest entries go first. */
  constructor(
    private readonly maxWeight: number,
    private readonly weigh: (value: V) => number,
  ) {}

  get(key: string, make: () => V): V {
    const hit = this.entries.get(key);
    if (hit !== undefined) return hit;
    const value = make();
    const w = this.weigh(value);
    if (w > this.maxWeight) return value;
    this.entries.set(key, value);
    this.weight += w;
    for (const [oldest, v] of this.entries) {
      if (this.weight <= this.maxWeight) break;
      this.entries.delete(oldest);
      this.weight -= this.weigh(v);
    }
    return value;
  }
}
