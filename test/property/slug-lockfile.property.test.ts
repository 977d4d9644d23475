// Property tests (fast-check) for the two grammars everything else trusts: the slug (it
// becomes a path, a branch name and a git argument) and the lock file (the list of claims).
// Each property compares the code with the independent reference in ./oracle.ts (written
// without regexes); the near-miss edges (one character off, Feb 30, 81 characters) are in
// grammar-edges.property.test.ts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { daysIn, isDigit, referenceIsSlug } from './oracle.ts';
import { runs } from './runs.ts';
import { UsageError } from '../../src/errors.ts';
import { addLockEntry, LockFileError, parseLockFile, removeLockEntry, serializeLockFile, type LockEntry } from '../../src/lockfile.ts';
import { assertSlug, isSlug, MAX_SLUG_LENGTH, parseSlug, slugFromInput, slugFromWords, slugProblem } from '../../src/slug.ts';

const RUNS = runs(2000);

// Generators: arbitrary text, plus near-misses built from real slug pieces so that the
// accepting side of the grammar is exercised too (random strings are almost never slugs).
const pieces = ['kb-', '2025', '2024', '1999', '-', '--', '01', '02', '12', '13', '00', '28', '29', '30', '31', 'a', 'z9', 'auth', 'A', '_', '.', '/', '..', ' ', '\n', '\r', '\0', '\u0430', '\uff11', '\ufeff', '$(', '`', "'", '-x', '--upload-pack='];
const slugish = fc.array(fc.constantFrom(...pieces), { maxLength: 14 }).map((parts) => parts.join(''));
const validDate = fc
  .record({ year: fc.integer({ min: 1000, max: 9999 }), month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 31 }) })
  .filter(({ year, month, day }) => day <= daysIn(year, month))
  .map(({ year, month, day }) => `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`);
const word = fc.stringMatching(/^[a-z0-9]{1,12}$/);
const validSlug = fc
  .tuple(fc.boolean(), validDate, fc.array(word, { minLength: 1, maxLength: 6 }))
  .map(([kb, date, words]) => `${kb ? 'kb-' : ''}${date}-${words.join('-')}`)
  .filter((slug) => slug.length <= MAX_SLUG_LENGTH);
const anyText = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 100 }), fc.string({ unit: 'binary', maxLength: 100 }), slugish, validSlug);

describe('slug grammar (property)', () => {
  it('agrees with the independent reference on arbitrary and near-miss input', () => {
    fc.assert(
      fc.property(anyText, (input) => {
        expect(isSlug(input), JSON.stringify(input)).toBe(referenceIsSlug(input));
      }),
      RUNS,
    );
  });

  it('never throws from slugProblem / isSlug, whatever the value', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        const problem = slugProblem(value);
        expect(problem === undefined || typeof problem === 'string').toBe(true);
        expect(typeof isSlug(value)).toBe('boolean');
      }),
      RUNS,
    );
  });

  it('assertSlug / parseSlug throw only UsageError, and only when the reference refuses', () => {
    fc.assert(
      fc.property(anyText, (input) => {
        let thrown: unknown;
        try {
          assertSlug(input);
          parseSlug(input);
        } catch (err) {
          thrown = err;
        }
        if (referenceIsSlug(input)) expect(thrown).toBeUndefined();
        else {
          expect(thrown).toBeInstanceOf(UsageError);
          // one clear line, never the raw control characters of the input
          expect((thrown as Error).message).not.toMatch(/[\n\r\0]/);
        }
      }),
      RUNS,
    );
  });

  it('round-trips: parseSlug splits a valid slug into parts that rebuild it exactly', () => {
    fc.assert(
      fc.property(validSlug, (slug) => {
        const parsed = parseSlug(slug);
        expect(`${parsed.kb ? 'kb-' : ''}${parsed.date}-${parsed.words}`).toBe(slug);
        expect(parsed.kb).toBe(slug.startsWith('kb-'));
      }),
      RUNS,
    );
  });

  it('words -> slug yields a valid slug or a UsageError, never anything else', () => {
    const now = new Date(2025, 9, 14, 12);
    fc.assert(
      fc.property(anyText, (input) => {
        for (const build of [() => slugFromWords(input, now), () => slugFromInput(input, now)]) {
          let slug: string | undefined;
          try {
            slug = build();
          } catch (err) {
            expect(err).toBeInstanceOf(UsageError);
            continue;
          }
          expect(referenceIsSlug(slug), JSON.stringify([input, slug])).toBe(true);
        }
      }),
      RUNS,
    );
  });
});

// ---- the lock file ----
const entry = fc.record({ slug: validSlug, claimedAt: fc.integer({ min: 0, max: 999_999_999_999 }) });
const entries = fc.uniqueArray(entry, { selector: (e) => e.slug, maxLength: 20 });

/** Reference acceptance of one lock-file line (after the BOM and the CR are stripped). */
function referenceLine(line: string): boolean {
  const trimmed = line.trim();
  if (trimmed === '') return true;
  const colon = trimmed.lastIndexOf(':');
  if (colon < 0) return false;
  const seconds = trimmed.slice(colon + 1);
  return seconds.length >= 1 && seconds.length <= 12 && [...seconds].every(isDigit) && referenceIsSlug(trimmed.slice(0, colon));
}

function referenceLockAccepts(text: string): boolean {
  const body = text.startsWith('\ufeff') ? text.slice(1) : text;
  return body.split('\n').every((raw) => referenceLine(raw.endsWith('\r') ? raw.slice(0, -1) : raw));
}

const lockLine = fc.oneof(
  entry.map((e) => `${e.slug}:${e.claimedAt}`),
  slugish.map((s) => `${s}:${s.length}`),
  fc.string({ maxLength: 40 }),
  fc.constantFrom('', ' ', '\r', '\0', '\ufeff', ':1', '2025-01-01-x:', '2025-01-01-x:-1', '2025-01-01-x:1e3', '2025-01-01-x:1234567890123', '../2025-01-01-x:1'),
);
const lockText = fc.tuple(fc.boolean(), fc.array(lockLine, { maxLength: 8 }), fc.constantFrom('\n', '\r\n')).map(([bom, lines, eol]) => `${bom ? '\ufeff' : ''}${lines.join(eol)}`);

describe('lock file (property)', () => {
  it('round-trips: parse(serialize(entries)) is the entries, also with CRLF and a BOM', () => {
    fc.assert(
      fc.property(entries, fc.boolean(), fc.boolean(), (list, crlf, bom) => {
        let text = serializeLockFile(list);
        if (crlf) text = text.replace(/\n/g, '\r\n');
        if (bom) text = `\ufeff${text}`;
        expect(parseLockFile(text)).toEqual(list);
      }),
      RUNS,
    );
  });

  it('parses or throws LockFileError (exit 2, a line number), never anything else', () => {
    fc.assert(
      fc.property(fc.oneof(lockText, fc.string({ unit: 'binary', maxLength: 200 })), (text) => {
        let parsed: LockEntry[] | undefined;
        try {
          parsed = parseLockFile(text);
        } catch (err) {
          expect(err).toBeInstanceOf(LockFileError);
          expect((err as LockFileError).exitCode).toBe(2);
          expect((err as LockFileError).message.split('\n')).toHaveLength(1);
        }
        expect(parsed !== undefined, JSON.stringify(text)).toBe(referenceLockAccepts(text));
        for (const e of parsed ?? []) {
          expect(referenceIsSlug(e.slug)).toBe(true);
          expect(Number.isSafeInteger(e.claimedAt) && e.claimedAt >= 0).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('add then remove: one line per slug, no other line lost or duplicated', () => {
    fc.assert(
      fc.property(entries, entry, (list, added) => {
        const after = parseLockFile(serializeLockFile(addLockEntry(list, added)));
        expect(after.filter((e) => e.slug === added.slug)).toEqual([added]);
        const others = list.filter((e) => e.slug !== added.slug);
        expect(after.filter((e) => e.slug !== added.slug)).toEqual(others);
        expect(parseLockFile(serializeLockFile(removeLockEntry(after, added.slug)))).toEqual(others);
      }),
      RUNS,
    );
  });
});
