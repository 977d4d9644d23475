// Property tests that live at the edges of the two grammars, where a loosened or off-by-one
// implementation differs from the right one: near-miss slugs built around a valid date (one
// character changed, case changed, '_', Feb 29/30, month 13, 80 vs 81 characters) and commit
// headers built from valid parts with exactly one part broken. Every generated input has an
// expected verdict known by construction, checked without any condition, and the oracle in
// ./oracle.ts (written apart from src/) must agree with src/ on all of them.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_COMMIT_TYPES } from '../../src/config.ts';
import { cleanMessage } from '../../src/message/clean.ts';
import { lintMessage } from '../../src/message/commitlint.ts';
import { classifyMessage } from '../../src/message/header.ts';
import { isSlug, MAX_SLUG_LENGTH, parseSlug, slugProblem } from '../../src/slug.ts';
import { daysIn, isLeapYear, MAX_SLUG, referenceIsSlug, referenceValidHeader } from './oracle.ts';
import { runs } from './runs.ts';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const year = fc.oneof(fc.integer({ min: 1000, max: 9999 }), fc.constantFrom(1900, 2000, 2023, 2024, 2100, 2400));
const validDate = fc
  .tuple(year, fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }))
  .filter(([y, m, d]) => d <= daysIn(y, m))
  .map(([y, m, d]) => `${pad(y, 4)}-${pad(m)}-${pad(d)}`);
const word = fc.stringMatching(/^[a-z0-9]{1,10}$/);
const validSlug = fc
  .tuple(fc.boolean(), validDate, fc.array(word, { minLength: 1, maxLength: 5 }))
  .map(([kb, date, words]) => `${kb ? 'kb-' : ''}${date}-${words.join('-')}`)
  .filter((slug) => slug.length <= MAX_SLUG_LENGTH);

describe('slug near-misses (property)', () => {
  it('the oracle and src/ agree on the length limit', () => {
    expect(MAX_SLUG_LENGTH).toBe(MAX_SLUG);
  });

  it('accepts every slug built from a valid date and words', () => {
    fc.assert(
      fc.property(validSlug, (slug) => {
        expect(isSlug(slug), slug).toBe(true);
        expect(referenceIsSlug(slug), slug).toBe(true);
      }),
      runs(1000),
    );
  });

  // One character replaced anywhere: a letter in the date, a digit for a hyphen, '_', upper
  // case, a look-alike, white space. The oracle decides; most of these are refusals.
  const replacement = fc.constantFrom('A', 'Z', 'Q', '_', '.', ' ', '-', '0', '9', 'a', 'z', '/', '\u0430', '\uff11', '\t', ':');
  it('agrees with the oracle when one character of a valid slug is replaced', () => {
    fc.assert(
      fc.property(validSlug, fc.nat(), replacement, (slug, at, c) => {
        const i = at % slug.length;
        const near = `${slug.slice(0, i)}${c}${slug.slice(i + 1)}`;
        expect(isSlug(near), JSON.stringify(near)).toBe(referenceIsSlug(near));
      }),
      runs(2000),
    );
  });

  it('refuses upper case anywhere in the words or the kb- prefix', () => {
    fc.assert(
      fc.property(validSlug, fc.nat(), (slug, at) => {
        const letters = [...slug].flatMap((c, i) => (c >= 'a' && c <= 'z' ? [i] : []));
        fc.pre(letters.length > 0);
        const i = letters[at % letters.length]!;
        const near = `${slug.slice(0, i)}${slug[i]!.toUpperCase()}${slug.slice(i + 1)}`;
        expect(isSlug(near), near).toBe(false);
        expect(slugProblem(near)).toMatch(/lowercase ASCII/);
      }),
      runs(1000),
    );
  });

  it("refuses '_' in place of, or next to, any hyphen between words", () => {
    fc.assert(
      fc.property(validDate, fc.array(word, { minLength: 2, maxLength: 4 }), fc.nat(), fc.constantFrom('replace', 'before', 'after'), (date, words, at, how) => {
        const i = 1 + (at % (words.length - 1));
        const joint = how === 'replace' ? '_' : how === 'before' ? '_-' : '-_';
        const near = `${date}-${words.slice(0, i).join('-')}${joint}${words.slice(i).join('-')}`;
        fc.pre(near.length <= MAX_SLUG_LENGTH);
        expect(isSlug(near), near).toBe(false);
        expect(slugProblem(near)).toMatch(/lowercase ASCII/);
      }),
      runs(1000),
    );
  });

  // Every month 00..13 and day 00..32 of a year: accepted exactly on real calendar dates
  // (Feb 29 only in leap years; Feb 30, Apr 31, month 13 and day 00 never).
  it('accepts exactly the real calendar dates', () => {
    fc.assert(
      fc.property(year, fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), fc.boolean(), word, (y, m, d, kb, w) => {
        const slug = `${kb ? 'kb-' : ''}${pad(y, 4)}-${pad(m)}-${pad(d)}-${w}`;
        const real = m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m);
        expect(isSlug(slug), slug).toBe(real);
        expect(referenceIsSlug(slug), slug).toBe(real);
        if (!real) expect(slugProblem(slug)).toMatch(/not a real calendar date/);
        else expect(parseSlug(slug).date).toBe(`${pad(y, 4)}-${pad(m)}-${pad(d)}`);
      }),
      runs(2000),
    );
  });

  it('Feb 29 is a date in leap years only; Feb 30 and month 13 never are', () => {
    for (const y of [1900, 2000, 2023, 2024, 2100, 2400]) {
      expect(isSlug(`${y}-02-29-leap`), String(y)).toBe(isLeapYear(y));
      expect(isSlug(`${y}-02-30-x`)).toBe(false);
      expect(isSlug(`${y}-13-01-x`)).toBe(false);
      expect(isSlug(`${y}-12-31-x`)).toBe(true);
      expect(isSlug(`${y}-11-31-x`)).toBe(false);
    }
  });

  it('accepts 80 characters and refuses 81, built from any valid slug', () => {
    fc.assert(
      fc.property(validSlug, fc.constantFrom(MAX_SLUG_LENGTH - 1, MAX_SLUG_LENGTH, MAX_SLUG_LENGTH + 1, MAX_SLUG_LENGTH + 2), (slug, length) => {
        // extend the last word (or add words) until the slug has exactly `length` characters
        let long = slug;
        while (long.length < length) long += long.length + 2 <= length ? '-a' : 'b';
        long = long.slice(0, length);
        fc.pre(!long.endsWith('-'));
        expect(long).toHaveLength(length);
        expect(isSlug(long), long).toBe(length <= MAX_SLUG_LENGTH);
        expect(referenceIsSlug(long)).toBe(length <= MAX_SLUG_LENGTH);
        if (length > MAX_SLUG_LENGTH) expect(slugProblem(long)).toMatch(`at most ${MAX_SLUG_LENGTH}`);
      }),
      runs(1000),
    );
  });
});

// ---- commit headers: valid parts, then exactly one part broken ----
const SETTINGS = { types: DEFAULT_COMMIT_TYPES, headerMaxLength: 100 };
const NOT_TYPES = ['wip', 'feature', 'fixes', 'Feat', 'FIX', 'docs2', 'chores', 'f', 'revert-it'];

interface Parts {
  prefix: string;
  type: string;
  scope: string | undefined;
  bang: boolean;
  subject: string;
}
const parts: fc.Arbitrary<Parts> = fc.record({
  prefix: fc.oneof(fc.constant('maint'), validSlug),
  type: fc.constantFrom(...DEFAULT_COMMIT_TYPES),
  scope: fc.option(fc.stringMatching(/^[a-z0-9/ .-]{0,12}$/), { nil: undefined }),
  bang: fc.boolean(),
  subject: fc.stringMatching(/^[a-zA-Z0-9][a-zA-Z0-9 ,.:()!\[\]'"#-]{0,30}[a-zA-Z0-9.)]$|^[a-z]$/),
});
const build = (p: Parts) => `[${p.prefix}] ${p.type}${p.scope === undefined ? '' : `(${p.scope})`}${p.bang ? '!' : ''}: ${p.subject}`;
const fitting = parts.filter((p) => build(p).length <= SETTINGS.headerMaxLength);

type Break = { kind: string; header: string; problem: string };
const broken: fc.Arbitrary<Break> = fc.oneof(
  fc.tuple(fitting, fc.constantFrom(...NOT_TYPES)).map(([p, type]) => ({
    kind: 'type not in the list',
    header: build({ ...p, type }),
    problem: type === type.toLowerCase() ? 'type-enum' : 'type-case',
  })),
  fc.tuple(fitting, fc.nat(), fc.constantFrom(' ', '\t', '\u00a0')).map(([p, at, space]) => {
    const i = 1 + (at % p.prefix.length);
    return { kind: 'space in the slug', header: build({ ...p, prefix: `${p.prefix.slice(0, i)}${space}${p.prefix.slice(i)}` }), problem: 'type-empty' };
  }),
  fitting.map((p) => ({ kind: 'missing colon', header: build(p).replace(/!?: /, (m) => m.replace(':', '')), problem: 'type-empty' })),
  fitting.map((p) => ({ kind: 'no space after the colon', header: build(p).replace(/!?: /, (m) => m.replace(' ', '')), problem: 'type-empty' })),
  fitting.map((p) => ({ kind: 'no space after the bracket', header: build(p).replace('] ', ']'), problem: 'type-empty' })),
  fc.tuple(fitting, fc.constantFrom(' ', '  ', '\t')).map(([p, space]) => ({ kind: 'trailing space', header: `${build(p)}${space}`, problem: 'header-trim' })),
  fc.tuple(fitting, fc.constantFrom(' ', '\t')).map(([p, space]) => ({ kind: 'leading space', header: `${space}${build(p)}`, problem: 'header-trim' })),
  fitting.map((p) => ({ kind: 'empty subject', header: build({ ...p, subject: '' }).trimEnd(), problem: 'type-empty' })),
  fc.tuple(fitting, fc.integer({ min: 1, max: 40 })).map(([p, over]) => {
    const header = build(p);
    return { kind: 'over the length limit', header: `${header}${'x'.repeat(SETTINGS.headerMaxLength - header.length + over)}`, problem: 'header-max-length' };
  }),
);

const names = async (header: string) => (await lintMessage(header, SETTINGS)).map((p) => p.name);

describe('commit headers with one part broken (property)', () => {
  it('accepts every header built from valid parts, up to exactly the length limit', async () => {
    await fc.assert(
      fc.asyncProperty(fitting, fc.boolean(), async (p, fill) => {
        let header = build(p);
        // half of the runs fill the subject up to exactly the limit
        if (fill) header += 'y'.repeat(SETTINGS.headerMaxLength - header.length);
        expect(await names(header), header).toEqual([]);
        expect(referenceValidHeader(header, SETTINGS), header).toBe(true);
        const form = classifyMessage(header);
        expect(form).toMatchObject({ form: 'prefixed', prefix: p.prefix });
      }),
      runs(1000),
    );
  });

  it('refuses every header with one part broken, naming that part', async () => {
    await fc.assert(
      fc.asyncProperty(broken, async ({ kind, header, problem }) => {
        const found = await names(header);
        expect(found, `${kind}: ${JSON.stringify(header)}`).toContain(problem);
        expect(referenceValidHeader(header, SETTINGS), `${kind}: ${JSON.stringify(header)}`).toBe(false);
      }),
      runs(2000),
    );
  });

  it('the oracle and the linter agree on valid, broken and random headers', async () => {
    const random = fc.string({ unit: 'grapheme', maxLength: 110 });
    await fc.assert(
      fc.asyncProperty(fc.oneof(fitting.map(build), broken.map((b) => b.header), random), async (header) => {
        fc.pre(!header.includes('\n'));
        expect((await names(header)).length === 0, JSON.stringify(header)).toBe(referenceValidHeader(header, SETTINGS));
      }),
      runs(2000),
    );
  });

  it('a message keeps its verdict through cleaning (CRLF, BOM, comments, a body)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fitting.map(build), broken.map((b) => b.header)), fc.boolean(), fc.boolean(), async (header, crlf, bom) => {
        fc.pre(header === header.trimEnd()); // git's cleanup strips trailing white space, by design
        let raw = `${header}\n\n# a comment\nbody line\n`;
        if (crlf) raw = raw.replace(/\n/g, '\r\n');
        if (bom) raw = `\ufeff${raw}`;
        const cleaned = cleanMessage(raw);
        expect(cleaned.split('\n')[0]).toBe(header);
        expect((await lintMessage(cleaned, SETTINGS)).length === 0).toBe((await names(header)).length === 0);
      }),
      runs(500),
    );
  });
});
