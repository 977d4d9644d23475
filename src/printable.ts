// The one printer for names and other repository text shown to people: folder names, paths,
// holder names, commit headers and titles come from whoever can push, and a raw ESC, CR or
// bidirectional override in them would recolour, retitle or clear a terminal, or make a line
// read as something else. Everything printed goes through here with those characters escaped.

// C0 controls, DEL, C1 controls, and the Unicode bidirectional controls (Trojan Source).
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const UNSAFE_IN_TEXT = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const escape = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** One line of hostile text (a name, a path, a message): every control escaped, cut at `max`. */
export function printable(text: string, max = 400): string {
  const escaped = text.replace(UNSAFE, escape);
  return escaped.length > max ? `${escaped.slice(0, max)}...` : escaped;
}

/** A block of output: newlines and tabs kept, every other control escaped. */
export function printableText(text: string): string {
  return text.replace(UNSAFE_IN_TEXT, escape);
}
