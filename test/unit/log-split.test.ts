// splitInto (src/engine/log-stream.ts): git's output arrives in chunks cut anywhere; the
// records must be exactly those of the whole text split on the separator, however it was cut,
// and a record longer than a chunk must come out whole.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitInto, type Separator } from '../../src/engine/log-stream.ts';

/** The records of `chunks` fed one by one, and what is left over at the end. */
function feed(chunks: readonly string[], separator: Separator): { records: string[]; rest: string } {
  const records: string[] = [];
  let pending = '';
  for (const chunk of chunks) pending = splitInto(records, pending, chunk, separator);
  return { records, rest: pending };
}

/** `text` cut at the given offsets. */
function cut(text: string, offsets: readonly number[]): string[] {
  const points = [...new Set(offsets.map((n) => n % (text.length + 1)))].sort((a, b) => a - b);
  const out: string[] = [];
  let from = 0;
  for (const at of points) {
    out.push(text.slice(from, at));
    from = at;
  }
  out.push(text.slice(from));
  return out;
}

describe('splitInto', () => {
  it('completes a record begun in earlier chunks and keeps the unfinished one', () => {
    const records: string[] = [];
    let pending = splitInto(records, '', 'ab', '\n');
    expect(records).toEqual([]);
    pending = splitInto(records, pending, 'c', '\n');
    expect(records).toEqual([]);
    pending = splitInto(records, pending, 'd\nef\n\ng', '\n');
    expect(records).toEqual(['abcd', 'ef', '']);
    expect(pending).toBe('g');
  });

  it('ends a record at a separator that opens the chunk', () => {
    expect(feed(['\x01one', '\x01two\x01', 'three'], '\x01')).toEqual({ records: ['', 'one', 'two'], rest: 'three' });
  });

  it('gives the records of the whole text however it is cut', () => {
    const separators: Separator[] = ['\n', '\x01'];
    fc.assert(
      fc.property(
        fc.constantFrom(...separators),
        fc.array(fc.string({ unit: fc.constantFrom('a', 'é', '\n', '\x01', '\0', ' ') }), { maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        (separator, parts, offsets) => {
          const text = parts.join(separator);
          const whole = text.split(separator);
          const { records, rest } = feed(cut(text, offsets), separator);
          expect([...records, rest]).toEqual(whole);
        },
      ),
    );
  });
});
