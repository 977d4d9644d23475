// A hook's stdin read in two parts (the pre-receive reads what it can at once; a non-blocking
// pipe makes it stop early): the second part is read after the first part's BYTES, so a
// character cut in two is decoded whole.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readStdin } from '../../src/hooks/stdin.ts';

describe('readStdin', () => {
  it('reads the rest of a stream after the bytes read already, decoding a split character whole', async () => {
    const line = '0000000000000000000000000000000000000000 1111111111111111111111111111111111111111 refs/heads/café\n';
    const bytes = Buffer.from(line, 'utf8');
    const cut = bytes.indexOf(0xc3) + 1; // inside "é"
    const rest = Readable.from([bytes.subarray(cut)]) as unknown as NodeJS.ReadStream;
    expect(await readStdin(rest, bytes.subarray(0, cut))).toBe(line);
  });

  it('reads the whole stream when nothing was read before', async () => {
    const stream = Readable.from([Buffer.from('a b c\n')]) as unknown as NodeJS.ReadStream;
    expect(await readStdin(stream)).toBe('a b c\n');
  });
});
