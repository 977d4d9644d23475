// The slug grammar of PROTOCOL.md: `YYYY-MM-DD-words` or `kb-YYYY-MM-DD-words`, a real
// calendar date, lowercase ASCII letters and digits joined by single hyphens, <= 80 chars.
// Validation happens before anything is written, so a slug can safely become a path,
// a branch name and a git argument.
import { UsageError } from './errors.ts';

export const MAX_SLUG_LENGTH = 80;
const SLUG_PATTERN = /^(kb-)?(\d{4})-(\d{2})-(\d{2})((?:-[a-z0-9]+)+)$/;
const LOOKS_LIKE_SLUG = /^(kb-|\d{4}-\d{2}-\d{2})/;

export interface ParsedSlug {
  slug: string;
  kb: boolean;
  date: string;
  words: string;
}

function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= days;
}

/** slugProblem's answers by input (bounded); the function is pure. */
const verdicts = new Map<string, string | true>();

/** Why `input` is not a slug, or undefined when it is one. Never throws. */
export function slugProblem(input: unknown): string | undefined {
  if (typeof input !== 'string') return 'a slug must be a string';
  if (input.length === 0) return 'the slug is empty';
  if (input.length > MAX_SLUG_LENGTH) return `the slug is ${input.length} characters long; at most ${MAX_SLUG_LENGTH} are allowed`;
  // History checks ask about the same few thousand slugs once per commit and rule.
  const known = verdicts.get(input);
  if (known !== undefined) return known === true ? undefined : known;
  const problem = checkPattern(input);
  if (verdicts.size >= 20_000) verdicts.clear();
  verdicts.set((' ' + input).slice(1), problem ?? true);
  return problem;
}

function checkPattern(input: string): string | undefined {
  const match = SLUG_PATTERN.exec(input);
  if (!match) {
    return 'a slug is YYYY-MM-DD-words-in-kebab-case (or kb-YYYY-MM-DD-...): lowercase ASCII letters and digits joined by single hyphens';
  }
  const [, , y, m, d] = match;
  if (!isRealDate(Number(y), Number(m), Number(d))) return `${y}-${m}-${d} is not a real calendar date`;
  return undefined;
}

export function isSlug(input: unknown): input is string {
  return slugProblem(input) === undefined;
}

export function parseSlug(input: string): ParsedSlug {
  const problem = slugProblem(input);
  if (problem) throw badSlug(input, problem);
  const match = SLUG_PATTERN.exec(input)!;
  return { slug: input, kb: Boolean(match[1]), date: `${match[2]}-${match[3]}-${match[4]}`, words: match[5]!.slice(1) };
}

/** Returns the slug unchanged, or throws UsageError (exit 2) naming what is wrong. */
export function assertSlug(input: string): string {
  const problem = slugProblem(input);
  if (problem) throw badSlug(input, problem);
  return input;
}

/** The input as one short ASCII line: look-alikes (Cyrillic, fullwidth, BOM) show as \\uXXXX. */
function shown(input: string): string {
  const cut = input.length > 100 ? `${input.slice(0, 100)}...` : input;
  return JSON.stringify(cut).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function badSlug(input: string, problem: string): UsageError {
  return new UsageError('bad-slug', `invalid session slug ${shown(input)}: ${problem}`, {
    fix: 'use a slug like 2025-10-14-auth-system, or give plain words to `agent-sessions new` and let it build the slug',
  });
}

export function localDate(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** True when `new` must treat the input as a slug (validated strictly) rather than words. */
export function looksLikeSlug(input: string): boolean {
  return LOOKS_LIKE_SLUG.test(input);
}

/** Plain words -> slug: lowercased, runs of [a-z0-9] joined by '-', today's date in front. */
export function slugFromWords(words: string, now: Date = new Date()): string {
  const runs = words.toLowerCase().match(/[a-z0-9]+/g) ?? [];
  if (runs.length === 0) {
    throw new UsageError('bad-slug', `${JSON.stringify(words)} has no ASCII letters or digits to build a slug from`, {
      fix: 'describe the session in words containing a-z or 0-9, e.g. `agent-sessions new "auth system"`',
    });
  }
  const date = localDate(now);
  let slug = date;
  for (const run of runs) {
    if (slug.length + 1 + run.length > MAX_SLUG_LENGTH) break;
    slug += `-${run}`;
  }
  if (slug === date) slug += `-${runs[0]!.slice(0, MAX_SLUG_LENGTH - date.length - 1)}`;
  return assertSlug(slug);
}

/** `new`'s input rule: slug-looking input is validated strictly; anything else is words. */
export function slugFromInput(input: string, now: Date = new Date()): string {
  return looksLikeSlug(input) ? assertSlug(input) : slugFromWords(input, now);
}

export function isKbSlug(slug: string): boolean {
  return slug.startsWith('kb-');
}
