// A command line as the shell will run it: every simple command it can execute (inside
// if/for/while/case, { }, ( ), functions, pipelines, $( ), backticks, heredocs fed to a shell,
// `sh -c`, `eval`, `trap`, `find -exec`, wrappers like env/xargs/sudo), each with the words it
// receives, the environment it gets, the directories it may run in and the files it writes.
// Parsed by tree-sitter-bash (shell-parser.ts); anything the guard cannot see is a problem.
import { runSimple, type Interpreter } from './shell-builtins.ts';
import { parseShell, type SyntaxNode } from './shell-parser.ts';
import { findMissing, printedBy, stripTabs } from './shell-nodes.ts';
import { copyScope, union, type Scope, type ShellAnalysis, type ShellCommand } from './shell-scope.ts';
import { assignedValues, expandWord, literalWord, UNKNOWN, type Word, type WordContext } from './words.ts';

export { UNKNOWN, type Word } from './words.ts';
export { resolveDirs, type ShellAnalysis, type ShellCommand } from './shell-scope.ts';

const WRITE_OPS = new Set(['>', '>>', '>|', '&>', '&>>', '<>', '>&']);
const MAX_DEPTH = 8;

class Walker implements Interpreter {
  readonly commands: ShellCommand[] = [];
  readonly problems: string[] = [];
  private source = '';

  constructor(private readonly depth: number) {}

  run(text: string, scope: Scope): void {
    if (this.depth > MAX_DEPTH) {
      this.problems.push('commands nested more than eight levels deep (shells inside shells)');
      return;
    }
    const parsed = parseShell(text);
    if ('error' in parsed) {
      this.problems.push(parsed.error);
      return;
    }
    const root = parsed.tree.rootNode;
    if (root.hasError) {
      const bad = root.descendantsOfType(['ERROR']).find(Boolean) ?? findMissing(root);
      const at = bad ? ` near ${JSON.stringify(text.slice(bad.startIndex, bad.startIndex + 30))} (line ${bad.startPosition.row + 1})` : '';
      this.problems.push(`the shell cannot parse this command line${at}`);
      return;
    }
    this.source = text;
    this.walk(root, scope);
  }

  private words(node: SyntaxNode, scope: Scope): WordContext {
    return { vars: scope.vars, ...(scope.cwd.length === 1 && scope.cwd[0] !== UNKNOWN ? { pwd: scope.cwd[0] } : {}), onSubstitution: (n) => this.walkChildren(n, copyScope(scope)) };
  }

  private expand(node: SyntaxNode, scope: Scope): Word[] {
    return expandWord(node, this.words(node, scope));
  }

  private walkChildren(node: SyntaxNode, scope: Scope): void {
    for (const child of node.namedChildren) if (child) this.walk(child, scope);
  }

  private walk(node: SyntaxNode, scope: Scope, stdin?: string | null): void {
    switch (node.type) {
      case 'comment':
      case 'heredoc_start':
      case 'heredoc_end':
        return;
      case 'subshell':
        return this.walkChildren(node, copyScope(scope));
      case 'function_definition': {
        // Judged where it is defined: whether and how often it is called does not matter.
        const body = node.childForFieldName('body');
        if (body) this.walk(body, copyScope(scope));
        return;
      }
      case 'for_statement': {
        const variable = node.childForFieldName('variable');
        const values = node.childrenForFieldName('value').filter((v): v is SyntaxNode => Boolean(v));
        const texts = values.flatMap((v) => this.expand(v, scope)).map((w) => (w.dynamic || w.glob ? UNKNOWN : w.text));
        if (variable) {
          if (values.length && !texts.includes(UNKNOWN)) scope.vars.set(variable.text, texts);
          else scope.vars.delete(variable.text);
        }
        const body = node.childForFieldName('body');
        if (body) this.walk(body, scope);
        return;
      }
      case 'list':
        return this.walkList(node, scope);
      case 'pipeline':
        return this.walkPipeline(node.namedChildren.filter((c): c is SyntaxNode => Boolean(c)), scope, stdin);
      case 'redirected_statement':
        return this.walkRedirected(node, scope, stdin);
      case 'command':
        return this.walkCommand(node, scope, [], stdin);
      case 'declaration_command':
        return this.walkDeclaration(node, scope);
      case 'unset_command':
        for (const child of node.namedChildren) if (child) scope.vars.delete(child.text);
        return;
      case 'variable_assignment':
        return this.assign(node, scope);
      case 'variable_assignments':
        for (const child of node.namedChildren) if (child) this.assign(child, scope);
        return;
      case 'word':
      case 'string':
      case 'raw_string':
      case 'concatenation':
      case 'simple_expansion':
      case 'expansion':
      case 'command_substitution':
      case 'process_substitution':
      case 'number':
        this.expand(node, scope);
        return;
      default:
        // Compound commands (if, while, case, { }, [[ ]], arithmetic): their parts in order.
        return this.walkChildren(node, scope);
    }
  }

  private assign(node: SyntaxNode, scope: Scope): void {
    const name = node.childForFieldName('name')?.text;
    if (!name) return;
    const values = assignedValues(node.childForFieldName('value'), this.words(node, scope));
    scope.vars.set(name, values);
  }

  private walkList(node: SyntaxNode, scope: Scope): void {
    const kids = node.children.filter((c): c is SyntaxNode => Boolean(c));
    const before = [...scope.cwd];
    let changed = false;
    for (let i = 0; i < kids.length; i++) {
      const kid = kids[i]!;
      if (!kid.isNamed) continue;
      scope.lastCd = undefined;
      this.walk(kid, scope);
      // `cd x && y`: y runs only if cd succeeded, so in x for sure.
      if (scope.lastCd) {
        changed = true;
        if (kids[i + 1]?.type === '&&') scope.cwd = scope.lastCd;
      }
    }
    // Whatever follows the list may run after a failed cd too.
    if (changed) scope.cwd = union(before, scope.cwd);
  }

  private walkPipeline(parts: SyntaxNode[], scope: Scope, stdin?: string | null): void {
    let input: string | null | undefined = stdin;
    for (const part of parts) {
      // Each part of a pipeline runs in a subshell; the next reads what this one printed.
      const inner = copyScope(scope);
      this.walk(part, inner, input);
      input = printedBy(part, this.source);
    }
  }

  private walkRedirected(node: SyntaxNode, scope: Scope, stdin?: string | null): void {
    const writes: Array<{ word: Word; cwd: string[] }> = [];
    let input = stdin;
    const after: Array<() => void> = [];
    let pipeTo: SyntaxNode[] | undefined;
    const body = node.childForFieldName('body');
    const redirects = () => {
      for (const redirect of node.childrenForFieldName('redirect')) {
        if (!redirect) continue;
        this.redirect(redirect, scope, writes, (text) => (input = text), (n) => after.push(() => this.walk(n, scope)), (p) => (pipeTo = p));
      }
    };
    if (body?.type === 'command') {
      redirects();
      this.walkCommand(body, scope, writes, input);
    } else {
      // tree-sitter-bash hangs `cd x && echo y > f`'s redirection on the whole list: the file
      // is opened where the last command runs (or, for { } and ( ), where the list started).
      const before = [...scope.cwd];
      if (body) this.walk(body, scope, input);
      const cwdAfter = scope.cwd;
      scope.cwd = union(before, cwdAfter);
      redirects();
      scope.cwd = cwdAfter;
      if (writes.length) this.commands.push({ argv: [], env: new Map(scope.vars), cwd: [...scope.cwd], writes, runtimeArgs: false, text: node.text });
    }
    if (pipeTo) this.walkPipeline(pipeTo, scope, body ? printedBy(body, this.source, input) : null);
    for (const next of after) next();
  }

  private redirect(
    redirect: SyntaxNode,
    scope: Scope,
    writes: Array<{ word: Word; cwd: string[] }>,
    setInput: (text: string | null) => void,
    then: (node: SyntaxNode) => void,
    pipe: (parts: SyntaxNode[]) => void,
  ): void {
    if (redirect.type === 'file_redirect') {
      const op = redirect.children.find((c) => c && !c.isNamed)?.type ?? '>';
      for (const dest of redirect.childrenForFieldName('destination')) {
        if (!dest) continue;
        const words = this.expand(dest, scope);
        if (WRITE_OPS.has(op) && !(op === '>&' && /^\d+$|^-$/.test(dest.text))) for (const word of words) writes.push({ word, cwd: [...scope.cwd] });
      }
      if (redirect.descendantsOfType(['ERROR']).length) this.problems.push('the shell cannot parse a redirection');
      return;
    }
    if (redirect.type === 'herestring_redirect') {
      const words = redirect.namedChildren.filter(Boolean).flatMap((c) => this.expand(c!, scope));
      setInput(words.some((w) => w.dynamic) ? null : words.map((w) => w.text).join(' '));
      return;
    }
    if (redirect.type === 'heredoc_redirect') {
      const start = redirect.children.find((c) => c?.type === 'heredoc_start')?.text ?? '';
      const quoted = /['"\\]/.test(start);
      const body = redirect.children.find((c) => c?.type === 'heredoc_body');
      // An unquoted delimiter: $( ) in the body runs; the body's text may hold expansions.
      if (body && !quoted) for (const sub of body.descendantsOfType(['command_substitution'])) if (sub) this.walkChildren(sub, copyScope(scope));
      const text = body?.text ?? '';
      setInput(!quoted && /[$`]/.test(text) ? null : stripTabs(text, redirect));
      for (const child of redirect.namedChildren) {
        if (!child || ['heredoc_start', 'heredoc_body', 'heredoc_end'].includes(child.type)) continue;
        if (child.type === 'file_redirect' || child.type === 'herestring_redirect') this.redirect(child, scope, writes, setInput, then, pipe);
        else if (child.type === 'pipeline') pipe(child.namedChildren.filter((c): c is SyntaxNode => Boolean(c)));
        else then(child);
      }
      return;
    }
    this.walkChildren(redirect, scope);
  }

  private walkDeclaration(node: SyntaxNode, scope: Scope): void {
    const argv: Word[] = [literalWord(node.children[0]?.type ?? 'export')];
    for (const child of node.namedChildren) {
      if (!child) continue;
      if (child.type === 'variable_assignment') {
        this.assign(child, scope);
        const name = child.childForFieldName('name')?.text ?? '';
        for (const value of scope.vars.get(name) ?? ['']) argv.push(literalWord(`${name}=${value}`));
      } else argv.push(...this.expand(child, scope));
    }
    this.commands.push({ argv, env: new Map(scope.vars), cwd: [...scope.cwd], writes: [], runtimeArgs: false, text: node.text });
  }

  private walkCommand(node: SyntaxNode, scope: Scope, writes: Array<{ word: Word; cwd: string[] }>, stdin?: string | null): void {
    const env = new Map(scope.vars);
    const argv: Word[] = [];
    let input = stdin;
    let previousEnd = node.startIndex;
    for (const child of node.children) {
      if (!child) continue;
      // tree-sitter-bash drops a lone `-` before a heredoc; anything else it skipped is hidden.
      const gap = this.source.slice(previousEnd, child.startIndex);
      if (gap.trim() === '-') argv.push(literalWord('-'));
      else if (gap.replace(/\\\n/g, '').trim()) this.problems.push(`the shell parser skipped ${JSON.stringify(gap.trim())}`);
      previousEnd = child.endIndex;
      if (child.type === 'variable_assignment') {
        const name = child.childForFieldName('name')?.text;
        if (name) env.set(name, assignedValues(child.childForFieldName('value'), this.words(child, scope)));
      } else if (child.type === 'command_name') {
        argv.push(...child.namedChildren.filter(Boolean).flatMap((c) => this.expand(c!, scope)));
      } else if (/redirect$/.test(child.type)) {
        this.redirect(child, scope, writes, (t) => (input = t), (n) => this.walk(n, scope), (p) => this.walkPipeline(p, scope, null));
      } else if (child.isNamed) argv.push(...this.expand(child, scope));
    }
    runSimple(this, argv, env, scope, writes, input, node.text, false);
  }

  nested(script: string, scope: Scope): void {
    const inner = new Walker(this.depth + 1);
    inner.run(script, copyScope(scope));
    this.absorb(inner);
  }

  absorb(inner: Walker): void {
    this.commands.push(...inner.commands);
    this.problems.push(...inner.problems);
  }

}

/** Every simple command a command line can run, in `cwd` (absolute; the agent's directory). */
export function analyzeShell(line: string, cwd: string): ShellAnalysis {
  const walker = new Walker(0);
  walker.run(line, { cwd: [cwd], vars: new Map(), aliases: new Map() });
  return { commands: walker.commands, problems: walker.problems };
}

/** The letters of a `-xyz` cluster of short options, e.g. `-nm` -> ['n', 'm']. */
export function shortFlags(word: string): string[] {
  return word.startsWith('-') && !word.startsWith('--') && word.length > 1 ? [...word.slice(1)] : [];
}
