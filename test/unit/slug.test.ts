import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.ts';
import { assertSlug, isSlug, looksLikeSlug, MAX_SLUG_LENGTH, parseSlug, slugFromInput, slugFromWords, slugProblem } from '../../src/slug.ts';

const day = new Date(2025, 9, 14, 12, 0, 0); // 2025-10-14 local

describe('slug grammar', () => {
  it.each([
    '2025-10-14-auth-system',
    'kb-2025-10-14-merge-auth-patterns',
    '2024-02-29-leap-day',
    '2025-01-01-x',
    '2025-10-14-a1-b2-c3',
  ])('accepts %s', (slug) => {
    expect(slugProblem(slug)).toBeUndefined();
    expect(assertSlug(slug)).toBe(slug);
  });

  it.each([
    ['', 'empty'],
    ['../x', 'kebab'],
    ['-rf', 'kebab'],
    ['a b', 'kebab'],
    ['$(touch x)', 'kebab'],
    ['2025-02-30-x', 'not a real calendar date'],
    ['2023-02-29-not-leap', 'not a real calendar date'],
    ['2025-13-01-x', 'not a real calendar date'],
    ['2025-10-14', 'kebab'],
    ['2025-10-14-', 'kebab'],
    ['2025-10-14--double', 'kebab'],
    ['2025-10-14-Upper', 'kebab'],
    ['2025-10-14-caf\u00e9', 'kebab'],
    ['2025-10-14-x\n', 'kebab'],
    ['2025-10-14-x/y', 'kebab'],
    ['kb-kb-2025-10-14-x', 'kebab'],
    [`2025-10-14-${'a'.repeat(80)}`, 'at most 80'],
  ])('refuses %j (%s)', (slug, why) => {
    expect(slugProblem(slug)).toContain(why);
    expect(() => assertSlug(slug)).toThrow(UsageError);
  });

  it('never throws from slugProblem on non-strings', () => {
    expect(slugProblem(undefined)).toBeDefined();
    expect(slugProblem(42)).toBeDefined();
    expect(isSlug(null)).toBe(false);
  });

  it('parses kb and words', () => {
    expect(parseSlug('kb-2025-10-14-merge-x')).toEqual({ slug: 'kb-2025-10-14-merge-x', kb: true, date: '2025-10-14', words: 'merge-x' });
  });

  it('allows exactly the maximum length', () => {
    const slug = `2025-10-14-${'a'.repeat(MAX_SLUG_LENGTH - 11)}`;
    expect(slug).toHaveLength(MAX_SLUG_LENGTH);
    expect(isSlug(slug)).toBe(true);
  });
});

describe('words -> slug', () => {
  it.each([
    ['Auth system', '2025-10-14-auth-system'],
    ['  Fix   the LOGIN bug!! ', '2025-10-14-fix-the-login-bug'],
    ['$(touch x)', '2025-10-14-touch-x'],
    ['../../etc/passwd', '2025-10-14-etc-passwd'],
    ['v2.0 release', '2025-10-14-v2-0-release'],
  ])('%j -> %s', (words, slug) => {
    expect(slugFromWords(words, day)).toBe(slug);
  });

  it('refuses words that leave nothing', () => {
    for (const words of ['', '   ', '!!!', '日本語', '--']) {
      expect(() => slugFromWords(words, day)).toThrow(/no ASCII letters or digits/);
    }
  });

  it('stays within the maximum length on word boundaries', () => {
    const slug = slugFromWords('word '.repeat(40), day);
    expect(slug.length).toBeLessThanOrEqual(MAX_SLUG_LENGTH);
    expect(slug.endsWith('-word')).toBe(true);
  });

  it('treats date- or kb-prefixed input as a slug, validated strictly', () => {
    expect(looksLikeSlug('2025-10-14-x')).toBe(true);
    expect(looksLikeSlug('kb-anything')).toBe(true);
    expect(looksLikeSlug('auth system')).toBe(false);
    expect(slugFromInput('2025-10-14-auth', day)).toBe('2025-10-14-auth');
    expect(() => slugFromInput('2025-02-30-auth', day)).toThrow(/calendar date/);
    expect(() => slugFromInput('kb-oops', day)).toThrow(UsageError);
    expect(slugFromInput('auth', day)).toBe('2025-10-14-auth');
  });
});
