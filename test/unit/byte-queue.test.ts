// ByteQueue (src/byte-queue.ts): what a git channel has read and no response has taken yet.
// However git cuts its output and however the responses divide it, every byte comes out once,
// in order, and a response handed out keeps its bytes while more arrive; and a long response
// costs copies in proportion to its size, not to its size squared.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteQueue } from '../../src/byte-queue.ts';

describe('ByteQueue', () => {
  it('gives back every byte once, in order, for any cutting of the input and of the responses', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 20 }), fc.array(fc.nat(400), { maxLength: 40 }), (chunks, takes) => {
        const queue = new ByteQueue();
        const taken: Buffer[] = [];
        const snapshots: string[] = [];
        let t = 0;
        for (const chunk of chunks) {
          queue.append(Buffer.from(chunk));
          // Take a response or two whenever one fits, as a channel's drain does.
          while (t < takes.length && takes[t]! <= queue.length) {
            const part = queue.take(takes[t++]!);
            taken.push(part);
            snapshots.push(part.toString('hex'));
          }
        }
        taken.push(queue.take(queue.length));
        snapshots.push(taken.at(-1)!.toString('hex'));
        const all = Buffer.concat(chunks.map((c) => Buffer.from(c)));
        expect(Buffer.concat(taken).equals(all)).toBe(true);
        // Nothing handed out was written over by what came after it.
        expect(taken.map((part) => part.toString('hex'))).toEqual(snapshots);
        expect(queue.length).toBe(0);
      }),
    );
  });

  it('copies a 32 MB response arriving in 64 KB chunks at most three times over, not once per chunk', () => {
    const queue = new ByteQueue();
    const chunk = Buffer.alloc(64 * 1024, 97);
    for (let i = 0; i < 512; i++) queue.append(chunk);
    expect(queue.length).toBe(32 * 1024 * 1024);
    // Joining each chunk onto all before it copied ~8 GB here (512 * 511 / 2 chunks).
    expect(queue.copiedBytes).toBeLessThanOrEqual(3 * 32 * 1024 * 1024);
    expect(queue.view().every((byte) => byte === 97)).toBe(true);
  });

  it('keeps a response that arrived whole in one chunk without copying it', () => {
    const queue = new ByteQueue();
    const chunk = Buffer.from('abc 1\n');
    queue.append(chunk);
    expect(queue.take(6).buffer).toBe(chunk.buffer);
    expect(queue.copiedBytes).toBe(0);
  });
});
