// Programs that run another program given in their arguments (env, sudo, xargs, nohup, ...):
// what they run, with which extra environment and directory. Shells and eval are not here:
// their argument is a script, parsed again by shell.ts.
import { programName, UNKNOWN, type Word } from './words.ts';

export interface Unwrapped {
  argv: Word[];
  env: Map<string, string[]>;
  /** A directory the wrapper changes to (env -C). */
  chdir?: Word;
  /** More arguments are appended at run time (xargs), or `{}` replaced (find -exec). */
  runtimeArgs: boolean;
  /** `env -S "..."`: a string the wrapper splits into words. */
  splitString?: Word;
  via: string[];
}

// Options that take a value, per wrapper (the value is skipped, not run).
const VALUED: Record<string, Set<string>> = {
  sudo: new Set(['-u', '-g', '-C', '-D', '-h', '-p', '-U', '-r', '-t', '-T', '--user', '--group', '--chdir', '--host', '--prompt', '--close-from', '--role', '--type', '--command-timeout', '--other-user']),
  doas: new Set(['-u', '-C']),
  command: new Set(),
  builtin: new Set(),
  exec: new Set(['-a']),
  nohup: new Set(),
  time: new Set(['-f', '-o', '--format', '--output']),
  nice: new Set(['-n', '--adjustment']),
  ionice: new Set(['-c', '-n', '-p', '-P', '-u', '--class', '--classdata']),
  chrt: new Set(),
  setsid: new Set(),
  stdbuf: new Set(['-i', '-o', '-e', '--input', '--output', '--error']),
  timeout: new Set(['-s', '-k', '--signal', '--kill-after']),
  env: new Set(['-u', '--unset', '-C', '--chdir', '-S', '--split-string', '-P']),
  xargs: new Set(['-I', '-L', '-n', '-P', '-d', '-E', '-e', '-s', '-a', '--arg-file', '--delimiter', '--eof', '--max-lines', '--max-args', '--max-procs', '--max-chars', '--replace', '--process-slot-var']),
  flock: new Set(['-w', '-E', '--timeout', '--conflict-exit-code']),
  unbuffer: new Set(),
  caffeinate: new Set(['-w', '-t']),
  coproc: new Set(),
  parallel: new Set(['-j', '--jobs', '-S', '--sshlogin', '-a', '--arg-file', '-d', '--delimiter', '-I', '-n', '-N', '-L', '--timeout', '--results', '--joblog']),
};

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;
const base = programName;

/** Strips every wrapper in front of the program; stops at the first word that is not one. */
export function unwrap(argv: Word[]): Unwrapped {
  const out: Unwrapped = { argv, env: new Map(), runtimeArgs: false, via: [] };
  for (let rounds = 0; rounds < 16; rounds++) {
    const name = base(out.argv[0]);
    if (!name || !Object.hasOwn(VALUED, name)) return out;
    const valued = VALUED[name]!;
    const args = out.argv.slice(1);
    // `command -v git` / `command -V` only print what would run.
    if ((name === 'command' || name === 'builtin') && args.some((a) => a.text === '-v' || a.text === '-V')) return { ...out, argv: [] };
    let i = 0;
    let replace = false;
    while (i < args.length) {
      const word = args[i]!;
      const text = word.text;
      if (text === '--') {
        i++;
        break;
      }
      if (name === 'env' && ASSIGNMENT.test(text)) {
        const [, key, value] = ASSIGNMENT.exec(text)!;
        out.env.set(key!, [value!]);
        i++;
        continue;
      }
      if (!text.startsWith('-') || text === '-') break;
      const flag = text.includes('=') && text.startsWith('--') ? text.slice(0, text.indexOf('=')) : text;
      const attached = text.startsWith('--') ? text.includes('=') : text.length > 2 && valued.has(text.slice(0, 2));
      const key = text.startsWith('--') ? flag : text.slice(0, 2);
      const value = valued.has(key) ? (attached ? { ...word, text: text.startsWith('--') ? text.slice(text.indexOf('=') + 1) : text.slice(2) } : args[i + 1]) : undefined;
      if (name === 'env' && (key === '-C' || key === '--chdir') && value) out.chdir = value;
      if (name === 'env' && (key === '-S' || key === '--split-string') && value) out.splitString = value;
      if (name === 'xargs' && (key === '-I' || key === '--replace' || text === '-i' || text.startsWith('--replace'))) replace = true;
      if (name === 'flock' && (text === '-c' || text === '--command')) {
        // `flock file -c 'cmd'` runs a shell command string.
        return { ...out, argv: [{ text: 'sh', dynamic: false, glob: false }, { text: '-c', dynamic: false, glob: false }, ...args.slice(i + 1, i + 2)], via: [...out.via, name] };
      }
      i += valued.has(key) && !attached ? 2 : 1;
    }
    let rest = args.slice(i);
    if (name === 'timeout') rest = rest.slice(1); // the duration
    if (name === 'flock') rest = rest.slice(1); // the lock file
    if (name === 'chrt') rest = rest.slice(1); // the priority
    if (name === 'nice' && /^-\d+$/.test(args[0]?.text ?? '')) rest = args.slice(1);
    out.via = [...out.via, name];
    if (name === 'xargs' || name === 'parallel') {
      out.runtimeArgs = true;
      if (!rest.length) rest = [{ text: 'echo', dynamic: false, glob: false }];
      if (replace) rest = rest.map((w) => (w.text.includes('{}') ? { ...w, text: w.text.replaceAll('{}', UNKNOWN), dynamic: true } : w));
    }
    out.argv = rest;
    if (out.splitString) return out;
  }
  return out;
}

/** `find ... -exec cmd {} \;`: the commands find runs, `{}` being a file name found at run time. */
export function findExecs(argv: Word[]): Word[][] {
  const out: Word[][] = [];
  for (let i = 1; i < argv.length; i++) {
    if (!['-exec', '-execdir', '-ok', '-okdir'].includes(argv[i]!.text)) continue;
    const words: Word[] = [];
    let j = i + 1;
    for (; j < argv.length && argv[j]!.text !== ';' && argv[j]!.text !== '+'; j++) {
      const w = argv[j]!;
      words.push(w.text.includes('{}') ? { ...w, text: w.text.replaceAll('{}', UNKNOWN), dynamic: true } : w);
    }
    out.push(words);
    i = j;
  }
  return out;
}
