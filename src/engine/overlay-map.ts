// A map seen through a small overlay of changed keys: a commit's sessions after the commit,
// without copying the model (sessions-model.ts).
/** Map seen through a small overlay of changed keys (undefined = removed). */
export class OverlayMap<K, V> implements ReadonlyMap<K, V> {
  constructor(
    private readonly base: ReadonlyMap<K, V>,
    private readonly delta: ReadonlyMap<K, V | undefined>,
  ) {}
  get(key: K): V | undefined {
    return this.delta.has(key) ? this.delta.get(key) : this.base.get(key);
  }
  has(key: K): boolean {
    return this.delta.has(key) ? this.delta.get(key) !== undefined : this.base.has(key);
  }
  *entries(): MapIterator<[K, V]> {
    for (const [key, value] of this.base) if (!this.delta.has(key)) yield [key, value];
    for (const [key, value] of this.delta) if (value !== undefined) yield [key, value];
  }
  *keys(): MapIterator<K> {
    for (const [key] of this.entries()) yield key;
  }
  *values(): MapIterator<V> {
    for (const [, value] of this.entries()) yield value;
  }
  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }
  get size(): number {
    let count = 0;
    for (const _ of this.entries()) count++;
    return count;
  }
  forEach(callback: (value: V, key: K, map: ReadonlyMap<K, V>) => void): void {
    for (const [key, value] of this.entries()) callback(value, key, this);
  }
}
