// The bytes a long-lived git process has written and no response has taken yet (git-channel.ts).
// Appending grows the store by doubling, so a response of n bytes costs O(n) copies however git
// cuts it: joining every 64 KB chunk onto all that came before made a 32 MB blob a minute of
// copying on the hub (the square of its size). Pure: no process, no stream.
export class ByteQueue {
  private store: Buffer = Buffer.alloc(0);
  private start = 0;
  private end = 0;
  /** The store is a chunk as the stream gave it: never written into. */
  private borrowed = false;
  /** Bytes copied so far (a response arriving whole in one chunk is not copied at all). */
  copiedBytes = 0;

  get length(): number {
    return this.end - this.start;
  }

  append(chunk: Buffer): void {
    const live = this.length;
    if (live === 0) {
      // Most responses arrive whole in one chunk: kept as it is, no copy.
      this.store = chunk;
      this.start = 0;
      this.end = chunk.length;
      this.borrowed = true;
      return;
    }
    if (this.borrowed || this.end + chunk.length > this.store.length) {
      // A new store, never the old one reused: a response handed out keeps a view of its bytes.
      const grown = Buffer.allocUnsafe(Math.max(2 * (live + chunk.length), 64 * 1024));
      this.store.copy(grown, 0, this.start, this.end);
      this.copiedBytes += live;
      this.store = grown;
      this.start = 0;
      this.end = live;
      this.borrowed = false;
    }
    chunk.copy(this.store, this.end);
    this.copiedBytes += chunk.length;
    this.end += chunk.length;
  }

  /** All the bytes queued, as one view (no copy). */
  view(): Buffer {
    return this.store.subarray(this.start, this.end);
  }

  /** The first `count` bytes, taken off the queue (a view that stays valid). */
  take(count: number): Buffer {
    const taken = this.store.subarray(this.start, this.start + count);
    this.start += count;
    return taken;
  }
}
