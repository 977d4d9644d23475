// The commands that change what else runs: shells and `eval` (their argument is a script,
// parsed again), `source`, `trap`, `su -c`, `watch`, `npx -c`, `find -exec`, wrappers (env,
// xargs, sudo, ...), `cd`/`pushd`, `read`, `alias`. Called by the walk in shell.ts.
import { homedir } from 'node:os';
import { copyScope, resolveDirs, union, type Scope, type ShellCommand } from './shell-scope.ts';
import { programName, UNKNOWN, type Word } from './words.ts';
import { findExecs, unwrap } from './wrappers.ts';

/** What the walk offers the builtins. */
export interface Interpreter {
  readonly commands: ShellCommand[];
  readonly problems: string[];
  /** Walks a script given as text (one level deeper). */
  nested(script: string, scope: Scope): void;
}

const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'yash', 'posh', 'fish']);
const STDIN_FILES = new Set(['/dev/stdin', '/proc/self/fd/0', '/dev/fd/0', '-']);

/** One simple command: wrappers, shells, eval and builtins that change the walk. */
export function runSimple(w: Interpreter, argv: Word[], env: Map<string, string[]>, scope: Scope, writes: ShellCommand['writes'], stdin: string | null | undefined, text: string, runtime: boolean): void {
  const alias = argv[0] && !argv[0].dynamic ? scope.aliases.get(argv[0].text) : undefined;
  if (alias !== undefined) {
    scope.aliases.delete(argv[0]!.text); // an alias does not expand inside itself
    w.nested(`${alias} ${argv.slice(1).map(shellQuote).join(' ')}`, scope);
    return;
  }
  const unwrapped = unwrap(argv);
  for (const [k, v] of unwrapped.env) env.set(k, v);
  const cwd = unwrapped.chdir ? resolveDirs(unwrapped.chdir, scope.cwd) : scope.cwd;
  const runtimeArgs = runtime || unwrapped.runtimeArgs;
  if (unwrapped.splitString) {
    const split = unwrapped.splitString;
    if (split.dynamic) w.problems.push('`env -S` with a command known only at run time');
    else w.nested(`${split.text} ${unwrapped.argv.slice(1).map(shellQuote).join(' ')}`, { ...scope, cwd });
    return;
  }
  const words = unwrapped.argv;
  const name = programName(words[0]);
  w.commands.push({ argv: words, env, cwd: [...cwd], writes, runtimeArgs, text });
  if (!name) return;
  if (SHELLS.has(name)) return shell(w, words, { ...scope, cwd }, stdin, runtimeArgs);
  if (name === 'eval') {
    const script = words.slice(1);
    if (script.some((w) => w.dynamic)) w.problems.push('`eval` of a string known only at run time');
    else w.nested(script.map((w) => w.text).join(' '), { ...scope, cwd });
    return;
  }
  if (name === 'trap' && words[1] && !words[1].text.startsWith('-')) {
    if (words[1].dynamic) w.problems.push('`trap` with a command known only at run time');
    else w.nested(words[1].text, copyScope(scope));
    return;
  }
  if (name === 'source' || name === '.') {
    // `source /dev/stdin <<EOF`, `source <(...)`: a script the line feeds in.
    const file = words[1];
    if (!file || file.dynamic) w.problems.push(`\`${name}\` of a script known only at run time`);
    else if (STDIN_FILES.has(file.text)) fromStdin(w, name, stdin, scope);
    return;
  }
  const execFlag = name === 'npx' || (name === 'npm' && ['exec', 'x'].includes(words[1]?.text ?? ''));
  if ((name === 'su' || name === 'runuser' || name === 'script' || name === 'watch' || execFlag) && words.length > 1) {
    const c = words.findIndex((w) => w.text === '-c' || w.text === '--command' || w.text === '--call');
    const watched = words.filter((w, i) => i > 0 && !w.text.startsWith('-') && !/^-(n|-interval)$/.test(words[i - 1]!.text));
    const script = name === 'watch' ? watched : c > 0 ? [words[c + 1]] : [];
    if (script.some((w) => !w || w.dynamic)) w.problems.push(`\`${name}\` with a command known only at run time`);
    else if (script.length) w.nested(script.map((w) => w!.text).join(' '), copyScope(scope));
    return;
  }
  if (name === 'find') {
    for (const exec of findExecs(words)) runSimple(w, exec, new Map(env), copyScope({ ...scope, cwd }), [], null, text, true);
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


/** `sh -c 'script'`, `bash -lc "..."`, `sh -s < file`, `bash <<EOF`, `echo '...' | sh`. */
function shell(w: Interpreter, words: Word[], scope: Scope, stdin: string | null | undefined, runtimeArgs: boolean): void {
  let commandFlag = false;
  let script: Word | undefined;
  for (let i = 1; i < words.length; i++) {
    const word = words[i]!;
    const text = word.text;
    if (word.dynamic && !script) {
      w.problems.push(`\`${words[0]!.text}\` with arguments known only at run time`);
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
    if (!script || script.dynamic || runtimeArgs) w.problems.push(`\`${words[0]!.text} -c\` with a script known only at run time`);
    else w.nested(script.text, scope);
    return;
  }
  // A script file: what it holds is not in the command line (unless it is the input).
  if (script && !STDIN_FILES.has(script.text)) return;
  if (stdin === undefined && !script) return; // an interactive shell: nothing to run here
  fromStdin(w, words[0]!.text, stdin, scope);
}

function fromStdin(w: Interpreter, name: string, stdin: string | null | undefined, scope: Scope): void {
  if (typeof stdin === 'string') w.nested(stdin, scope);
  else w.problems.push(`\`${name}\` reads its script from input the guard cannot see`);
}

function shellQuote(word: Word): string {
  return word.dynamic ? '"$__unknown__"' : `'${word.text.replace(/'/g, `'\\''`)}'`;
}
