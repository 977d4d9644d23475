// What a shell word expands to, as far as it can be known before it runs. A word is first
// rendered as a pattern: characters that were quoted or backslash-escaped carry a `\` before
// them, a part known only at run time is the marker UNKNOWN. Brace expansion, word splitting of
// unquoted expansions and globbing then work on unescaped characters only, as the shell does.
import { homedir } from 'node:os';
import type { SyntaxNode } from './shell-parser.ts';

/** Stands for a part of a word known only at run time ($VAR, $(cmd), ...). */
export const UNKNOWN = '\u0000';

export interface Word {
  /** The word as the program receives it; UNKNOWN marks the run-time parts. */
  text: string;
  /** Some part is known only at run time. */
  dynamic: boolean;
  /** Unquoted `*`, `?` or `[` the shell expands against the file system. */
  glob: boolean;
}

/** Variables known while walking a command line: name -> possible values (literal text). */
export type Variables = Map<string, string[]>;

const SPECIAL = new Set(['\\', '*', '?', '[', ']', '{', '}', ',', '~', ' ', '\t', '\n']);
const escapeAll = (text: string) => [...text].map((c) => (SPECIAL.has(c) ? `\\${c}` : c)).join('');

/** A backslash outside quotes escapes the next character; `\<newline>` disappears. */
function unquotedLiteral(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length) {
      const next = text[++i]!;
      if (next !== '\n') out += SPECIAL.has(next) ? `\\${next}` : next;
    } else out += c;
  }
  return out;
}

/** Inside "...": only \" \\ \$ \` and \<newline> are escapes. */
function doubleQuotedLiteral(text: string): string {
  return escapeAll(text.replace(/\\([\\"$`\n])/g, (_m, c: string) => (c === '\n' ? '' : c)));
}

const C_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"', '?': '?' };
function ansiC(body: string): string {
  return body.replace(/\\(x[0-9a-fA-F]{1,2}|u[0-9a-fA-F]{1,4}|U[0-9a-fA-F]{1,8}|[0-7]{1,3}|c.|.)/gs, (_m, e: string) => {
    if (/^[xuU]/.test(e)) return String.fromCodePoint(parseInt(e.slice(1), 16));
    if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8));
    if (e[0] === 'c') return String.fromCharCode(e.charCodeAt(1) & 31);
    return C_ESCAPES[e] ?? `\\${e}`;
  });
}

export interface WordContext {
  vars: Variables;
  /** The directory $PWD names, when known. */
  pwd?: string;
  /** Called for every $(...), `...` and <(...) inside a word: they run. */
  onSubstitution(node: SyntaxNode): void;
}

function variableValues(name: string, ctx: WordContext): string[] | undefined {
  if (name === 'PWD' && ctx.pwd) return [ctx.pwd];
  if (name === 'HOME') return [homedir()];
  return ctx.vars.get(name);
}

/** The pattern forms a word node can take (several when a loop variable has several values). */
function patterns(node: SyntaxNode, ctx: WordContext, quoted: boolean): string[] {
  switch (node.type) {
    case 'word':
      // `~+` is $PWD, `~-` $OLDPWD, `~user` that user's home: all but the first unknowable here.
      if (!quoted && /^~[^/]/.test(node.text)) {
        const [head, ...rest] = node.text.split('/');
        const dir = head === '~+' && ctx.pwd ? escapeAll(ctx.pwd) : UNKNOWN;
        return [[dir, ...rest.map(unquotedLiteral)].join('/')];
      }
      return [quoted ? doubleQuotedLiteral(node.text) : unquotedLiteral(node.text)];
    case 'number':
    case 'extglob_pattern':
    case 'variable_name':
    case 'file_descriptor':
      return [quoted ? doubleQuotedLiteral(node.text) : unquotedLiteral(node.text)];
    case 'raw_string':
      return [escapeAll(node.text.slice(1, -1))];
    case 'ansi_c_string':
      return [escapeAll(ansiC(node.text.slice(2, -1)))];
    case 'string_content':
      return [doubleQuotedLiteral(node.text)];
    case 'string':
    case 'translated_string':
    case 'concatenation': {
      let out = [''];
      for (const child of node.children) {
        if (!child) continue;
        if (!child.isNamed) {
          // Quote marks delimit; other anonymous tokens ({, }, ..) are literal text.
          if (child.type === '"' || child.type === '$"') continue;
          out = out.map((p) => p + (quoted || node.type !== 'concatenation' ? escapeAll(child.text) : unquotedLiteral(child.text)));
          continue;
        }
        const parts = patterns(child, ctx, quoted || node.type !== 'concatenation');
        out = out.flatMap((p) => parts.map((q) => p + q));
        if (out.length > 64) out = out.slice(0, 64);
      }
      return out;
    }
    case 'simple_expansion':
    case 'expansion': {
      const name = node.namedChildren.find((c) => c?.type === 'variable_name' || c?.type === 'special_variable_name');
      // ${x} only: ${x:-y}, ${#x}, ${x/a/b} are run-time values.
      const plain = node.type === 'simple_expansion' || node.namedChildren.length === 1;
      for (const c of node.descendantsOfType(['command_substitution', 'process_substitution'])) if (c) ctx.onSubstitution(c);
      const values = name && plain ? variableValues(name.text, ctx) : undefined;
      if (!values) return [UNKNOWN];
      return values.map((v) => (quoted ? escapeAll(v) : v.replace(/\\/g, '\\\\')));
    }
    case 'command_substitution':
    case 'process_substitution':
      ctx.onSubstitution(node);
      return [UNKNOWN];
    case 'brace_expression':
      return [unquotedLiteral(node.text)];
    default:
      for (const c of node.descendantsOfType(['command_substitution', 'process_substitution'])) if (c) ctx.onSubstitution(c);
      return [UNKNOWN];
  }
}

/** `a{b,c}d` -> `abd acd`, `{1..3}`; only unescaped braces with a comma or a range. */
export function expandBraces(pattern: string, limit = 64): string[] {
  let depth = 0;
  let open = -1;
  const commas: number[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '{') {
      if (depth++ === 0) {
        open = i;
        commas.length = 0;
      }
    } else if (c === ',' && depth === 1) commas.push(i);
    else if (c === '}' && depth > 0 && --depth === 0) {
      const head = pattern.slice(0, open);
      const tail = pattern.slice(i + 1);
      const body = pattern.slice(open + 1, i);
      let items: string[] | undefined;
      if (commas.length) {
        items = [];
        let from = open + 1;
        for (const at of [...commas, i]) {
          items.push(pattern.slice(from, at));
          from = at + 1;
        }
      } else {
        const range = /^(-?\d+|[a-zA-Z])\.\.(-?\d+|[a-zA-Z])$/.exec(body);
        if (range) {
          const [a, b] = [range[1]!, range[2]!];
          const num = /\d/.test(a);
          const [x, y] = num ? [Number(a), Number(b)] : [a.charCodeAt(0), b.charCodeAt(0)];
          items = [];
          for (let v = x; x <= y ? v <= y : v >= y; v += x <= y ? 1 : -1) {
            items.push(num ? String(v) : String.fromCharCode(v));
            if (items.length > limit) break;
          }
        }
      }
      if (!items) return expandBraces(pattern.slice(i + 1), limit).map((rest) => pattern.slice(0, i + 1) + rest);
      return items.flatMap((item) => expandBraces(head + item + tail, limit)).slice(0, limit);
    }
  }
  return [pattern];
}

/** Unescaped whitespace (from an unquoted expansion) splits a word into several. */
function splitFields(pattern: string): string[] {
  const out: string[] = [];
  let current = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) {
      current += c + pattern[++i]!;
    } else if (c === ' ' || c === '\t' || c === '\n') {
      if (current) out.push(current);
      current = '';
    } else current += c;
  }
  if (current) out.push(current);
  return out;
}

function toWord(pattern: string): Word {
  let text = '';
  let glob = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) text += pattern[++i]!;
    else {
      if (c === '*' || c === '?' || c === '[') glob = true;
      text += i === 0 && c === '~' && (pattern.length === 1 || pattern[1] === '/') ? homedir() : c;
    }
  }
  return { text, dynamic: text.includes(UNKNOWN), glob };
}

/** The words one argument node expands to (0, 1 or many). */
export function expandWord(node: SyntaxNode, ctx: WordContext): Word[] {
  const out: Word[] = [];
  for (const pattern of patterns(node, ctx, false)) {
    // Brace expansion multiplies: past a few groups the word is judged as unknown, not expanded.
    const groups = pattern.replace(/\\./g, '').split('{').length - 1;
    const braced = groups > 6 ? [UNKNOWN] : expandBraces(pattern);
    for (const one of braced) for (const field of splitFields(one)) out.push(toWord(field));
  }
  return out;
}

/** The literal value of an assignment's right-hand side (no splitting, no globbing). */
export function assignedValues(node: SyntaxNode | null, ctx: WordContext): string[] {
  if (!node) return [''];
  return patterns(node, ctx, false).map((p) => toWord(p).text);
}

/** The program a command word names: its last path component, if known. */
export function programName(word: Word | undefined): string | undefined {
  if (!word) return undefined;
  const name = word.text.slice(word.text.lastIndexOf('/') + 1);
  return name && !name.includes(UNKNOWN) ? name : undefined;
}

export const literalWord = (text: string): Word => ({ text, dynamic: false, glob: false });
