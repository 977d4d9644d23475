// The independent oracle for the property tests: the slug grammar and the commit header
// grammar of PROTOCOL.md, written again by hand, character by character, without any regex or
// helper from src/. When src/ and this file disagree on an input, one of them is wrong, and
// the property test prints the input.

export const MAX_SLUG = 80;

export const isDigit = (c: string) => c >= '0' && c <= '9';
const isWordChar = (c: string) => isDigit(c) || (c >= 'a' && c <= 'z');

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysIn(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** `YYYY-MM-DD-words` or `kb-YYYY-MM-DD-words`: a real date, [a-z0-9] words joined by single '-', <= 80 chars. */
export function referenceIsSlug(input: string): boolean {
  if (input.length === 0 || input.length > MAX_SLUG) return false;
  const rest = input.startsWith('kb-') ? input.slice(3) : input;
  if (rest.length < 12) return false; // YYYY-MM-DD-w
  const digitsAt = (from: number, n: number) => [...rest.slice(from, from + n)].every(isDigit);
  if (!digitsAt(0, 4) || rest[4] !== '-' || !digitsAt(5, 2) || rest[7] !== '-' || !digitsAt(8, 2) || rest[10] !== '-') return false;
  const year = Number(rest.slice(0, 4));
  const month = Number(rest.slice(5, 7));
  const day = Number(rest.slice(8, 10));
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return false;
  const words = rest.slice(11).split('-');
  return words.every((word) => word.length > 0 && [...word].every(isWordChar));
}

/** What JavaScript's `\s` and String#trim count as white space. */
const WHITE = new Set([
  '\t', '\n', '\v', '\f', '\r', ' ', '\u00a0', '\u1680', '\u2000', '\u2001', '\u2002', '\u2003', '\u2004', '\u2005',
  '\u2006', '\u2007', '\u2008', '\u2009', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff',
]);
const isWhite = (c: string) => WHITE.has(c);
const isAsciiLetter = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
const isTypeChar = (c: string) => isAsciiLetter(c) || isDigit(c) || c === '_' || c === '-';
const isLineEnd = (c: string) => c === '\n' || c === '\r' || c === '\u2028' || c === '\u2029';

export interface HeaderSettings {
  types: readonly string[];
  headerMaxLength: number;
}

/**
 * Is `header` (one line) `[<prefix>] <type>(<scope>)?!?: <subject>` with a listed type, a
 * subject that is not blank, no white space around the header, and at most the maximum length?
 * The prefix is one or more characters other than ']' and white space.
 */
export function referenceValidHeader(header: string, settings: HeaderSettings): boolean {
  const chars = [...header];
  if (header.length > settings.headerMaxLength || chars.length === 0) return false;
  if (isWhite(chars[0]!) || isWhite(chars[chars.length - 1]!)) return false;
  let i = 0;
  if (chars[i++] !== '[') return false;
  const prefixStart = i;
  while (i < chars.length && chars[i] !== ']' && !isWhite(chars[i]!)) i++;
  if (i === prefixStart || chars[i] !== ']') return false;
  i++;
  if (chars[i++] !== ' ') return false;
  const typeStart = i;
  if (!isAsciiLetter(chars[i] ?? '')) return false;
  while (i < chars.length && isTypeChar(chars[i]!)) i++;
  const type = chars.slice(typeStart, i).join('');
  if (chars[i] === '(') {
    i++;
    while (i < chars.length && chars[i] !== '(' && chars[i] !== ')' && chars[i] !== '\r' && chars[i] !== '\n') i++;
    if (chars[i] !== ')') return false;
    i++;
  }
  if (chars[i] === '!') i++;
  if (chars[i++] !== ':' || chars[i++] !== ' ') return false;
  const subject = chars.slice(i);
  if (subject.some(isLineEnd) || subject.every(isWhite)) return false;
  return settings.types.includes(type);
}
