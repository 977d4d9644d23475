// Small readings of one tree-sitter-bash node for the shell walker (shell.ts): where a parse
// is incomplete, a heredoc's body as `<<-` gives it, and what a command prints when the
// command line alone says.
import type { SyntaxNode } from './shell-parser.ts';
import { expandWord } from './words.ts';

export function findMissing(node: SyntaxNode): SyntaxNode | undefined {
  if (node.isMissing) return node;
  for (const child of node.children) {
    const hit = child && child.hasError ? findMissing(child) : undefined;
    if (hit) return hit;
  }
  return undefined;
}

/** `<<-` strips leading tabs from the body. */
export function stripTabs(text: string, redirect: SyntaxNode): string {
  return redirect.children.some((c) => c?.type === '<<-') ? text.replace(/^\t+/gm, '') : text;
}

/** What a command prints, when the command line alone says (echo, printf, cat of a heredoc). */
export function printedBy(node: SyntaxNode, source: string, stdin?: string | null): string | null {
  void source;
  if (node.type !== 'command') return null;
  const words = node.namedChildren.filter((c) => c && c.type !== 'command_name');
  const name = node.childForFieldName('name')?.text;
  const literal = words.every((w) => w && ['word', 'raw_string', 'string', 'number'].includes(w.type) && !w.descendantsOfType(['simple_expansion', 'expansion', 'command_substitution']).length);
  if (!literal) return name === 'cat' && !words.length && typeof stdin === 'string' ? stdin : null;
  const texts = words.map((w) => expandWord(w!, { vars: new Map(), onSubstitution: () => {} }).map((x) => x.text).join(' '));
  if (name === 'echo') return `${texts.filter((t) => !/^-[neE]+$/.test(t)).join(' ')}\n`;
  if (name === 'printf' && texts.length && !texts[0]!.includes('%')) return texts[0]!.replace(/\\n/g, '\n');
  if (name === 'cat' && !texts.length && typeof stdin === 'string') return stdin;
  return null;
}
