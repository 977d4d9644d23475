// Shell command lines as an agent types them, split into simple commands (argv arrays) with
// shell-quote doing the word splitting and quoting. We look at argv, never at the raw string,
// so `git log --grep "git add ."` is one git-log command whose argument merely mentions add.
import { parse, type ParseEntry } from 'shell-quote';

export interface SimpleCommand {
  /** Words after env assignments and wrappers (sudo, env, command, exec, ...). */
  argv: string[];
  /** `VAR=value` prefixes (and `env VAR=value`). */
  env: Record<string, string>;
  /** Files this command redirects output into (`> f`, `>> f`). */
  writes: string[];
  /** Directory set by a preceding `cd dir &&` in the same line, if any. */
  cdDir?: string;
}

const SEPARATORS = new Set(['&&', '||', ';', '|', '&', '|&', ';;', '(', ')', '<(', '>(']);
const OUTPUT_REDIRECTS = new Set(['>', '>>', '>|', '&>', '&>>']);
const INPUT_REDIRECTS = new Set(['<', '<<', '<<<', '>&', '<&']);
// Wrappers that run their arguments as a command, with the options that take a value.
const WRAPPERS: Record<string, Set<string>> = {
  sudo: new Set(['-u', '-g', '-C', '-D', '-h', '-p', '-U', '-r', '-t', '-T', '--user', '--group']),
  doas: new Set(['-u', '-C']),
  command: new Set(),
  builtin: new Set(),
  exec: new Set(['-a']),
  nohup: new Set(),
  time: new Set(['-f', '-o']),
  nice: new Set(['-n']),
  timeout: new Set(['-s', '-k', '--signal', '--kill-after']),
  env: new Set(['-u', '-C', '-S', '--unset', '--chdir', '--split-string']),
  xargs: new Set(['-I', '-L', '-n', '-P', '-d', '-E', '-s', '-a']),
};
const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh']);
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;

/** Backtick substitutions are not understood by shell-quote: lift them out as separate lines. */
function liftBackticks(line: string): { rest: string; inner: string[] } {
  const inner: string[] = [];
  const rest = line.replace(/`([^`]*)`/g, (_m, body: string) => {
    inner.push(body);
    return ' __subst__ ';
  });
  return { rest, inner };
}

function tokenize(line: string): ParseEntry[] {
  // Line continuations join lines; other newlines separate commands like `;` does.
  const joined = line.replace(/\\\r?\n/g, ' ').replace(/\r?\n/g, ' ; ');
  // Keep `$VAR` as written: we judge what is typed, not this process's environment.
  return parse(joined, (name) => `$${name}`);
}

function stripWrappers(words: string[], env: Record<string, string>): string[] {
  let argv = words;
  for (let guard = 0; guard < 20; guard++) {
    while (argv.length && ASSIGNMENT.test(argv[0]!)) {
      const [, key, value] = ASSIGNMENT.exec(argv[0]!)!;
      env[key!] = value!;
      argv = argv.slice(1);
    }
    const head = argv[0];
    if (head === undefined) return argv;
    const base = head.split('/').pop()!;
    const valued = WRAPPERS[base];
    if (!valued) return argv;
    let i = 1;
    if (base === 'timeout') {
      while (i < argv.length && argv[i]!.startsWith('-')) i += valued.has(argv[i]!) ? 2 : 1;
      i += 1; // the duration
    } else {
      while (i < argv.length && argv[i]!.startsWith('-') && argv[i] !== '--') i += valued.has(argv[i]!) ? 2 : 1;
      if (argv[i] === '--') i += 1;
    }
    if (base === 'nice' && /^-\d+$/.test(argv[1] ?? '')) i = 2;
    argv = argv.slice(i);
  }
  return argv;
}

/**
 * Every simple command in a shell line, including those inside subshells, `$(...)`,
 * backticks and `sh -c '...'` / `eval '...'` strings (recursively, to a small depth).
 */
export function simpleCommands(line: string, depth = 0): SimpleCommand[] {
  if (depth > 4) return [];
  const { rest, inner } = liftBackticks(line);
  const out: SimpleCommand[] = [];
  for (const body of inner) out.push(...simpleCommands(body, depth + 1));
  let entries: ParseEntry[];
  try {
    entries = tokenize(rest);
  } catch {
    return out;
  }
  let words: string[] = [];
  let writes: string[] = [];
  let cdDir: string | undefined;
  const flush = (separator?: string) => {
    const env: Record<string, string> = {};
    const argv = stripWrappers(words.filter((w) => w !== '$'), env);
    if (argv.length || writes.length) {
      const command: SimpleCommand = { argv, env, writes, ...(cdDir !== undefined ? { cdDir } : {}) };
      out.push(command);
      const base = argv[0]?.split('/').pop();
      if (base && SHELLS.has(base)) {
        const c = argv.indexOf('-c');
        if (c !== -1 && argv[c + 1]) out.push(...simpleCommands(argv[c + 1]!, depth + 1));
      }
      if (base === 'eval' && argv.length > 1) out.push(...simpleCommands(argv.slice(1).join(' '), depth + 1));
      // `cd dir && git ...`: later commands in this line run in dir (until a pipe/subshell ends).
      if (base === 'cd' || base === 'pushd') cdDir = argv[1] ?? '~';
    }
    if (separator === ')' || separator === '|') cdDir = separator === ')' ? undefined : cdDir;
    words = [];
    writes = [];
  };
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    if (typeof entry === 'string') {
      words.push(entry);
      continue;
    }
    if ('comment' in entry) break;
    if ('op' in entry) {
      const op = entry.op as string;
      if (OUTPUT_REDIRECTS.has(op) || INPUT_REDIRECTS.has(op)) {
        // A redirect's target is not an argument; `2>&1` leaves a stray "2" we also drop.
        if (words.length && /^\d+$/.test(words[words.length - 1]!) && (op === '>&' || op === '>' || op === '>>')) words.pop();
        const target = entries[i + 1];
        if (typeof target === 'string') {
          if (OUTPUT_REDIRECTS.has(op)) writes.push(target);
          i += 1;
        }
        continue;
      }
      if (op === 'glob' && 'pattern' in entry) {
        words.push(String((entry as { pattern: string }).pattern));
        continue;
      }
      if (SEPARATORS.has(op)) {
        flush(op);
        continue;
      }
    }
  }
  flush();
  return out;
}

/** The words of a `-xyz` cluster of short options, e.g. `-nm` -> ['n', 'm']. */
export function shortFlags(word: string): string[] {
  return word.startsWith('-') && !word.startsWith('--') && word.length > 1 ? [...word.slice(1)] : [];
}
