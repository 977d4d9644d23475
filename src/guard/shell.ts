// A command line as the shell will run it: every simple command it can execute (inside
// if/for/while/case, { }, ( ), functions, pipelines, $( ), backticks, heredocs fed to a shell,
// `sh -c`, `eval`, `trap`, `find -exec`, wrappers like env/xargs/sudo), each with the words it
// receives, the environment it gets, the directories it may run in and the files it writes.
// Parsed by tree-sitter-bash (shell-parser.ts); anything the guard cannot see is a problem.
import { homedir } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { parseShell, type SyntaxNode } from './shell-parser.ts';
import { assignedValues, expandWord, literalWord, programName, UNKNOWN, type Variables, type Word, type WordContext } from './words.ts';
import { findExecs, unwrap } from './wrappers.ts';

export { UNKNOWN, type Word } from './words.ts';

export interface ShellCommand {
  /** Program and arguments, wrappers removed. */
  argv: Word[];
  /** Variables in effect: prefix assignments, and every variable set earlier in the line. */
  env: Map<string, string[]>;
  /** Directories it may run in (absolute); UNKNOWN when a `cd` went somewhere unknowable. */
  cwd: string[];
  /** Files its output is redirected into. */
  writes: Array<{ word: Word; cwd: string[] }>;
  /** Arguments are appended or substituted at run time (xargs, find -exec). */
  runtimeArgs: boolean;
  /** The source text of the command, for messages. */
  text: string;
}

export interface ShellAnalysis {
  commands: ShellCommand[];
  /** What the guard could not see (unparseable input, scripts known only at run time). */
  problems: string[];
}

interface Scope {
  cwd: string[];
  /** Where the last `cd` went (a `cd` not followed by && may also have failed). */
  lastCd?: string[];
  vars: Variables;
  aliases: Map<string, string>;
}

const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'yash', 'posh', 'fish']);
const WRITE_OPS = new Set(['>', '>>', '>|', '&>', '&>>', '<>', '>&']);
const MAX_DEPTH = 8;
const STDIN_FILES = new Set(['/dev/stdin', '/proc/self/fd/0', '/dev/fd/0', '-']);

const copyScope = (s: Scope): Scope => ({ cwd: [...s.cwd], vars: new Map(s.vars), aliases: new Map(s.aliases) });
const union = (a: string[], b: string[]) => [...new Set([...a, ...b])];

/** Resolves a directory word against every possible current directory. */
export function resolveDirs(word: Word | undefined, cwd: string[]): string[] {
  if (!word) return [UNKNOWN];
  if (word.dynamic || word.glob) return [UNKNOWN];
  if (isAbsolute(word.text)) return [resolve(word.text)];
  return [...new Set(cwd.map((dir) => (dir === UNKNOWN ? UNKNOWN : resolve(dir, word.text))))];
}

class Walker {
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
    this.run1(argv, env, scope, writes, input, node.text, false);
  }

  /** One simple command: wrappers, shells, eval and builtins that change the walk. */
  private run1(argv: Word[], env: Map<string, string[]>, scope: Scope, writes: ShellCommand['writes'], stdin: string | null | undefined, text: string, runtime: boolean): void {
    const alias = argv[0] && !argv[0].dynamic ? scope.aliases.get(argv[0].text) : undefined;
    if (alias !== undefined) {
      scope.aliases.delete(argv[0]!.text); // an alias does not expand inside itself
      const inner = new Walker(this.depth + 1);
      inner.run(`${alias} ${argv.slice(1).map((w) => shellQuote(w)).join(' ')}`, scope);
      this.absorb(inner);
      return;
    }
    const unwrapped = unwrap(argv);
    for (const [k, v] of unwrapped.env) env.set(k, v);
    const cwd = unwrapped.chdir ? resolveDirs(unwrapped.chdir, scope.cwd) : scope.cwd;
    const runtimeArgs = runtime || unwrapped.runtimeArgs;
    if (unwrapped.splitString) {
      const split = unwrapped.splitString;
      if (split.dynamic) this.problems.push('`env -S` with a command known only at run time');
      else this.nested(`${split.text} ${unwrapped.argv.slice(1).map(shellQuote).join(' ')}`, { ...scope, cwd });
      return;
    }
    const words = unwrapped.argv;
    const name = programName(words[0]);
    this.commands.push({ argv: words, env, cwd: [...cwd], writes, runtimeArgs, text });
    if (!name) return;
    if (SHELLS.has(name)) return this.shell(words, { ...scope, cwd }, stdin, runtimeArgs);
    if (name === 'eval') {
      const script = words.slice(1);
      if (script.some((w) => w.dynamic)) this.problems.push('`eval` of a string known only at run time');
      else this.nested(script.map((w) => w.text).join(' '), { ...scope, cwd });
      return;
    }
    if (name === 'trap' && words[1] && !words[1].text.startsWith('-')) {
      if (words[1].dynamic) this.problems.push('`trap` with a command known only at run time');
      else this.nested(words[1].text, copyScope(scope));
      return;
    }
    if (name === 'source' || name === '.') {
      // `source /dev/stdin <<EOF`, `source <(...)`: a script the line feeds in.
      const file = words[1];
      if (!file || file.dynamic) this.problems.push(`\`${name}\` of a script known only at run time`);
      else if (STDIN_FILES.has(file.text)) this.fromStdin(name, stdin, scope);
      return;
    }
    const execFlag = name === 'npx' || (name === 'npm' && ['exec', 'x'].includes(words[1]?.text ?? ''));
    if ((name === 'su' || name === 'runuser' || name === 'script' || name === 'watch' || execFlag) && words.length > 1) {
      const c = words.findIndex((w) => w.text === '-c' || w.text === '--command' || w.text === '--call');
      const watched = words.filter((w, i) => i > 0 && !w.text.startsWith('-') && !/^-(n|-interval)$/.test(words[i - 1]!.text));
      const script = name === 'watch' ? watched : c > 0 ? [words[c + 1]] : [];
      if (script.some((w) => !w || w.dynamic)) this.problems.push(`\`${name}\` with a command known only at run time`);
      else if (script.length) this.nested(script.map((w) => w!.text).join(' '), copyScope(scope));
      return;
    }
    if (name === 'find') {
      for (const exec of findExecs(words)) this.run1(exec, new Map(env), copyScope({ ...scope, cwd }), [], null, text, true);
      return;
    }
    if (name === 'cd' || name === 'pushd') {
      const target = words.find((w, i) => i > 0 && !/^-[LPe@]+$/.test(w.text));
      const to = target ? (target.text === '-' ? [UNKNOWN] : resolveDirs(target, scope.cwd)) : [homedir()];
      scope.lastCd = to;
      scope.cwd = union(scope.cwd, to);
      return;
    }
    if (name === 'popd') scope.cwd = union(scope.cwd, [UNKNOWN]);
    if (name === 'read' || name === 'mapfile' || name === 'readarray' || name === 'getopts') {
      for (const w of words.slice(1)) if (/^[A-Za-z_]\w*$/.test(w.text)) scope.vars.delete(w.text);
      return;
    }
    if (name === 'alias') {
      for (const w of words.slice(1)) {
        const eq = w.text.indexOf('=');
        if (eq > 0) scope.aliases.set(w.text.slice(0, eq), w.text.slice(eq + 1));
      }
    }
  }

  private nested(script: string, scope: Scope): void {
    const inner = new Walker(this.depth + 1);
    inner.run(script, copyScope(scope));
    this.absorb(inner);
  }

  private absorb(inner: Walker): void {
    this.commands.push(...inner.commands);
    this.problems.push(...inner.problems);
  }

  /** `sh -c 'script'`, `bash -lc "..."`, `sh -s < file`, `bash <<EOF`, `echo '...' | sh`. */
  private shell(words: Word[], scope: Scope, stdin: string | null | undefined, runtimeArgs: boolean): void {
    let commandFlag = false;
    let script: Word | undefined;
    for (let i = 1; i < words.length; i++) {
      const word = words[i]!;
      const text = word.text;
      if (word.dynamic && !script) {
        this.problems.push(`\`${words[0]!.text}\` with arguments known only at run time`);
        return;
      }
      if (text === '--' || text === '-') {
        script = words[i + 1];
        break;
      }
      if (/^[-+][A-Za-z]+$/.test(text)) {
        if (text.includes('c')) commandFlag = true;
        if (/[oO]/.test(text)) i++;
        continue;
      }
      if (text === '--rcfile' || text === '--init-file') {
        i++;
        continue;
      }
      if (text.startsWith('--')) continue;
      script = word;
      break;
    }
    if (commandFlag) {
      if (!script || script.dynamic || runtimeArgs) this.problems.push(`\`${words[0]!.text} -c\` with a script known only at run time`);
      else this.nested(script.text, scope);
      return;
    }
    // A script file: what it holds is not in the command line (unless it is the input).
    if (script && !STDIN_FILES.has(script.text)) return;
    if (stdin === undefined && !script) return; // an interactive shell: nothing to run here
    this.fromStdin(words[0]!.text, stdin, scope);
  }

  private fromStdin(name: string, stdin: string | null | undefined, scope: Scope): void {
    if (typeof stdin === 'string') this.nested(stdin, scope);
    else this.problems.push(`\`${name}\` reads its script from input the guard cannot see`);
  }
}

function findMissing(node: SyntaxNode): SyntaxNode | undefined {
  if (node.isMissing) return node;
  for (const child of node.children) {
    const hit = child && child.hasError ? findMissing(child) : undefined;
    if (hit) return hit;
  }
  return undefined;
}

/** `<<-` strips leading tabs from the body. */
function stripTabs(text: string, redirect: SyntaxNode): string {
  return redirect.children.some((c) => c?.type === '<<-') ? text.replace(/^\t+/gm, '') : text;
}

/** What a command prints, when the command line alone says (echo, printf, cat of a heredoc). */
function printedBy(node: SyntaxNode, source: string, stdin?: string | null): string | null {
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

function shellQuote(word: Word): string {
  return word.dynamic ? '"$__unknown__"' : `'${word.text.replace(/'/g, `'\\''`)}'`;
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
