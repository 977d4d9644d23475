// The slug module's wording and edges, exactly: each refusal's text and fix, the input shown
// on one ASCII line (cut at 100 characters, look-alikes escaped), the local date, the word
// budget at exactly 80 characters, and a single over-long word.
import { describe, expect, it } from 'vitest';
import { assertSlug, isKbSlug, localDate, looksLikeSlug, MAX_SLUG_LENGTH, parseSlug, slugFromWords, slugProblem } from '../../src/slug.ts';
import { refusal } from '../helpers/refusal.ts';

const day = new Date(2025, 0, 5, 23, 59, 59); // 2025-01-05 local: months and days padded


describe('slugProblem wording', () => {
  it('says what is wrong, the same on a second ask (answers are cached)', () => {
    for (let i = 0; i < 2; i++) {
      expect(slugProblem(7)).toBe('a slug must be a string');
      expect(slugProblem('')).toBe('the slug is empty');
      expect(slugProblem('a'.repeat(81))).toBe('the slug is 81 characters long; at most 80 are allowed');
      expect(slugProblem('2025-02-30-x')).toBe('2025-02-30 is not a real calendar date');
      expect(slugProblem('2025-10-14-x')).toBeUndefined();
      expect(slugProblem('nope')).toBe('a slug is YYYY-MM-DD-words-in-kebab-case (or kb-YYYY-MM-DD-...): lowercase ASCII letters and digits joined by single hyphens');
    }
    expect(MAX_SLUG_LENGTH).toBe(80);
  });

  it('a refusal names the input on one ASCII line, cut at 100 characters, and gives the fix', () => {
    const err = refusal(() => assertSlug('caf\u00e9\n\u0430'));
    expect(err.code).toBe('bad-slug');
    expect(err.message).toBe('invalid session slug "caf\\u00e9\\n\\u0430": a slug is YYYY-MM-DD-words-in-kebab-case (or kb-YYYY-MM-DD-...): lowercase ASCII letters and digits joined by single hyphens');
    expect(err.fix).toBe('use a slug like 2025-10-14-auth-system, or give plain words to `agent-sessions new` and let it build the slug');
    expect(refusal(() => parseSlug('A'.repeat(100))).message).toContain(`"${'A'.repeat(100)}": the slug is 100`);
    expect(refusal(() => parseSlug('A'.repeat(101))).message).toContain(`"${'A'.repeat(100)}...": the slug is 101`);
    expect(refusal(() => assertSlug('del\u007fhere')).message).toContain('"del\\u007fhere"');
    expect(refusal(() => assertSlug('~')).message).toContain('"~"');
  });
});

describe('dates and words', () => {
  it('writes the local date padded', () => {
    expect(localDate(day)).toBe('2025-01-05');
    expect(localDate(new Date(2024, 11, 31, 0, 0, 1))).toBe('2024-12-31');
    expect(localDate().length).toBe(10);
  });

  it('kb- and date prefixes look like slugs; words do not', () => {
    expect(isKbSlug('kb-2025-10-14-x')).toBe(true);
    expect(isKbSlug('2025-10-14-kb')).toBe(false);
    expect(looksLikeSlug('2025-10-14')).toBe(true);
    expect(looksLikeSlug('x 2025-10-14')).toBe(false);
    expect(looksLikeSlug('kb')).toBe(false);
  });

  it('keeps whole words up to exactly 80 characters', () => {
    // date (10) + "-" + 68 = 79, then "-a" makes 81: left out; "-" + "b" alone would fit but stops at the first overflow
    const words = `${'w'.repeat(68)} a`;
    expect(slugFromWords(words, day)).toBe(`2025-01-05-${'w'.repeat(68)}`);
    const exact = `${'w'.repeat(67)} a`;
    expect(slugFromWords(exact, day)).toBe(`2025-01-05-${'w'.repeat(67)}-a`);
    expect(slugFromWords(exact, day)).toHaveLength(80);
  });

  it('cuts a single over-long first word to fit', () => {
    const slug = slugFromWords('x'.repeat(200), day);
    expect(slug).toBe(`2025-01-05-${'x'.repeat(69)}`);
    expect(slug).toHaveLength(MAX_SLUG_LENGTH);
  });

  it('refuses words with no ASCII letter or digit, saying so', () => {
    const err = refusal(() => slugFromWords('日本 !!', day));
    expect(err.code).toBe('bad-slug');
    expect(err.message).toBe('"日本 !!" has no ASCII letters or digits to build a slug from');
    expect(err.fix).toBe('describe the session in words containing a-z or 0-9, e.g. `agent-sessions new "auth system"`');
    expect(slugFromWords('MiXeD Case_snake', day)).toBe('2025-01-05-mixed-case-snake');
  });
});
