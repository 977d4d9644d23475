// The argv shapes that skip commander: `next` and `claim <slug>` with their own options, as
// agents type them in the claim race (16 agents starting at once on two cores, where loading
// and building the full commander program was a tenth of each one's CPU before its first
// fetch), and `guard [--agent <name>]`, which every tool call of an agent starts. Only plain, unambiguous shapes are taken; anything else (--help, --version, `--`,
// an unknown, fused or missing option value, a stray argument) returns undefined and goes to
// the full CLI, so every message and exit code stays commander's. The options object is the
// one the full CLI would build for the same argv (test/cli-lean.test.ts compares them).

export interface LeanArgs {
  verb: 'next' | 'claim' | 'guard';
  /** The verb's options as the full CLI passes them (`cwd` from -C/--cwd, `slug` for claim). */
  options: Record<string, string | boolean>;
}

interface VerbShape {
  flags: Readonly<Record<string, string>>;
  values: Readonly<Record<string, string>>;
  slug: boolean;
}

const SHAPES: Readonly<Record<LeanArgs['verb'], VerbShape>> = {
  next: {
    flags: { '--json': 'json', '--claim': 'claim', '--clone': 'clone' },
    values: { '--match': 'match', '--agent-name': 'agentName', '--agent-email': 'agentEmail' },
    slug: false,
  },
  claim: {
    flags: { '--json': 'json', '--clone': 'clone', '--take-over': 'takeOver' },
    values: { '--agent-name': 'agentName', '--agent-email': 'agentEmail', '--reason': 'reason' },
    slug: true,
  },
  // The agents' pre-tool-use hook: one Node start per tool call of every agent.
  guard: { flags: { '--json': 'json' }, values: { '--agent': 'agent' }, slug: false },
};

/** The program's own option (-C/--cwd), allowed before and after the verb as commander does. */
const CWD = new Set(['-C', '--cwd']);

/** `args` is process.argv without node and the script. */
export function leanArgs(args: readonly string[]): LeanArgs | undefined {
  return parseShape(args, SHAPES) as LeanArgs | undefined;
}

/**
 * `check` and `check --all`, with or without --json and -C/--cwd, as the full CLI will run
 * them: the shapes whose first git processes the bin starts before loading it
 * (src/check/check-early.ts). Anything else (--range, --format, --help...) starts nothing early.
 */
export function earlyCheckArgs(args: readonly string[]): { verb: 'check'; options: Record<string, string | boolean> } | undefined {
  return parseShape(args, CHECK_SHAPE) as { verb: 'check'; options: Record<string, string | boolean> } | undefined;
}

const CHECK_SHAPE: Readonly<Record<string, VerbShape>> = { check: { flags: { '--json': 'json', '--all': 'all' }, values: {}, slug: false } };

function parseShape(args: readonly string[], shapes: Readonly<Record<string, VerbShape>>): { verb: string; options: Record<string, string | boolean> } | undefined {
  let cwd: string | undefined;
  let i = 0;
  /** Reads the value of the option at args[i]; undefined when it is missing or looks like an option. */
  const valueAt = (index: number, inline: string | undefined): string | undefined => {
    const value = inline ?? args[index + 1];
    return value === undefined || value.startsWith('-') ? undefined : value;
  };
  // -C <dir> / --cwd <dir> / --cwd=<dir> before the verb.
  for (;;) {
    const arg = args[i];
    if (arg === undefined) return undefined;
    const [name, inline] = splitInline(arg);
    if (!CWD.has(name) || (inline !== undefined && name !== '--cwd')) break;
    const value = valueAt(i, inline);
    if (value === undefined) return undefined;
    cwd = value;
    i += inline === undefined ? 2 : 1;
  }
  const verb = args[i];
  const shape = verb !== undefined && Object.hasOwn(shapes, verb) ? shapes[verb] : undefined;
  if (verb === undefined || !shape) return undefined;
  const options: Record<string, string | boolean> = {};
  let slug: string | undefined;
  for (i++; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('-')) {
      if (!shape.slug || slug !== undefined || arg === '') return undefined;
      slug = arg;
      continue;
    }
    const [name, inline] = splitInline(arg);
    const flag = Object.hasOwn(shape.flags, name) ? shape.flags[name] : undefined;
    if (flag !== undefined) {
      if (inline !== undefined) return undefined; // --claim=1 is commander's usage error
      options[flag] = true;
      continue;
    }
    const key = CWD.has(name) ? 'cwd' : Object.hasOwn(shape.values, name) ? shape.values[name] : undefined;
    if (key === undefined || (inline !== undefined && name === '-C')) return undefined;
    const value = valueAt(i, inline);
    if (value === undefined) return undefined;
    if (key === 'cwd') cwd = value;
    else options[key] = value;
    if (inline === undefined) i++;
  }
  if (shape.slug && slug === undefined) return undefined;
  // An empty -C value means no -C in the full CLI too (`program.opts().cwd ? ...`).
  return { verb, options: { ...options, ...(cwd ? { cwd } : {}), ...(slug !== undefined ? { slug } : {}) } };
}

/** `--name=value` -> ['--name', 'value']; anything else -> [arg, undefined]. */
function splitInline(arg: string): [string, string | undefined] {
  const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
  return eq === -1 ? [arg, undefined] : [arg.slice(0, eq), arg.slice(eq + 1)];
}
