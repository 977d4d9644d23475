// Configuration: `agent-sessions.config.json` at the repository root, or an "agentSessions"
// key in the root package.json. Validated whole on every load: an unknown key, a path that
// escapes the repository, or an unknown rule id is a UsageError (exit 2) that names it.
import { existsSync, lstatSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { UsageError } from './errors.ts';
import { readBounded } from './safe-fs.ts';

import { CONFIG_FILE } from './config-file.ts';

export { CONFIG_FILE };
/**
 * direct: transitions are pushed to git.mainBranch. integration: the same, but git.mainBranch
 * is an unprotected branch (e.g. `agents`) merged into the protected one by pull requests.
 * refs: main is only read; claims live under refs/agent-sessions/claims/ and each completion
 * is a pull-request branch (src/hub/claim-refs.ts).
 */
export const HUB_MODES = ['direct', 'integration', 'refs'] as const;
export type HubMode = (typeof HUB_MODES)[number];

export const DEFAULT_COMMIT_TYPES = ['feat', 'fix', 'docs', 'style', 'refactor', 'perf', 'test', 'build', 'ci', 'chore', 'revert'];

const severity = z.enum(['off', 'warn', 'error']);
export type Severity = z.infer<typeof severity>;
const ruleSetting = z.union([severity, z.tuple([severity]), z.tuple([severity, z.record(z.unknown())])]);
export type RuleSetting = z.infer<typeof ruleSetting>;

const repoPath = z
  .string()
  .min(1)
  .max(200)
  .refine((p) => !p.startsWith('/') && !/^[a-zA-Z]:/.test(p), 'must be relative to the repository root')
  // ".GIT", ".git." and "GIT~1" are .git on a case-insensitive or Windows checkout
  .refine((p) => !p.split('/').some((part) => part === '..' || /^(\.git[. ]*|git~\d+)$/i.test(part)), 'must stay inside the repository (no "..", no ".git")')
  .refine((p) => !/[\\\0\n\r]/.test(p), 'must use "/" and hold no control characters')
  // Every git call names these paths as pathspecs: a leading ":" is pathspec magic and "*", "?",
  // "[" are wildcards (git ls-tree -- ":x/sessions/" matched nothing, `_AGENTS/sess*` more than one folder).
  .refine((p) => !p.startsWith(':') && !/[*?[]/.test(p), 'must not start with ":" nor hold "*", "?" or "[" (git reads them as pathspec magic and wildcards)')
  // one spelling per folder: rules compare paths as git writes them (no "//", no "." segment)
  .refine((p) => !p.replace(/\/+$/, '').replace(/^\.\//, '').split('/').some((part) => part === '' || part === '.'), 'must be written as git writes paths (no "//", no "." segment)')
  .transform((p) => p.replace(/\/+$/, '').replace(/^\.\//, ''));

const gitName = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9._/-]+$/, 'may hold only letters, digits, ".", "_", "/" and "-"')
  .refine((n) => !n.startsWith('-') && !n.includes('..'), 'must not start with "-" or contain ".."');

const schema = z
  .object({
    $schema: z.string().optional(),
    paths: z
      .object({
        sessions: repoPath.optional(),
        knowledge: repoPath.optional(),
        worktrees: repoPath.optional(),
        clones: repoPath.optional(),
        lockFile: repoPath.optional(),
      })
      .strict()
      .optional(),
    git: z
      .object({
        remote: gitName.optional(),
        mainBranch: gitName.optional(),
        branchPrefix: gitName.refine((p) => p.endsWith('/'), 'must end with "/"').optional(),
        // Where the transitions go (docs/hosting.md, "Hub modes"): chosen by `init --hub-mode`.
        hubMode: z.enum(HUB_MODES, { errorMap: () => ({ message: `must be one of ${HUB_MODES.join(', ')}` }) }).optional(),
      })
      .strict()
      .optional(),
    commit: z
      .object({
        types: z.array(z.string().regex(/^[a-z][a-z0-9-]*$/, 'a commit type is lowercase letters, digits and "-"')).min(1).optional(),
        maintainerPrefix: z.string().regex(/^[a-z][a-z0-9-]*$/, 'is lowercase letters, digits and "-"').optional(),
        headerMaxLength: z.number().int().min(20).max(1000).optional(),
      })
      .strict()
      .optional(),
    claim: z
      .object({
        maxAttempts: z.number().int().min(1).max(1000).optional(),
        backoffMs: z.number().int().min(0).max(60_000).optional(),
        maxBackoffMs: z.number().int().min(0).max(600_000).optional(),
      })
      .strict()
      .optional(),
    stale: z
      .object({
        lockAgeHours: z.number().min(0).optional(),
        idleHours: z.number().min(0).optional(),
      })
      .strict()
      .optional(),
    rules: z.record(ruleSetting).optional(),
    worktree: z
      .object({
        // Repository data that runs code: run on claim only once the local user trusts this
        // exact command (src/worktree-setup.ts, docs/SECURITY.md).
        setup: z.string().min(1).max(10_000).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type UserConfig = z.input<typeof schema>;

export interface Config {
  paths: { sessions: string; knowledge: string; worktrees: string; clones: string; lockFile: string };
  git: { remote: string; mainBranch: string; branchPrefix: string; hubMode: HubMode };
  commit: { types: string[]; maintainerPrefix: string; headerMaxLength: number };
  claim: { maxAttempts: number; backoffMs: number; maxBackoffMs: number };
  stale: { lockAgeHours: number; idleHours: number };
  rules: Record<string, RuleSetting>;
  /** The command that readies a new session worktree (e.g. `npm ci`), if any. */
  worktree: { setup?: string };
  /** Where the config came from, for messages. */
  source: string;
}

export function defaultConfig(): Config {
  return resolveConfig({}, 'defaults');
}

function resolveConfig(user: z.output<typeof schema>, source: string): Config {
  const sessions = user.paths?.sessions ?? '_AGENTS/sessions';
  return {
    paths: {
      sessions,
      knowledge: user.paths?.knowledge ?? '_AGENTS/knowledge',
      worktrees: user.paths?.worktrees ?? '.worktrees',
      clones: user.paths?.clones ?? '.sessions',
      lockFile: user.paths?.lockFile ?? `${sessions}/sessions.lock`,
    },
    git: {
      remote: user.git?.remote ?? 'origin',
      mainBranch: user.git?.mainBranch ?? 'main',
      branchPrefix: user.git?.branchPrefix ?? 'session/',
      hubMode: user.git?.hubMode ?? 'direct',
    },
    commit: {
      types: user.commit?.types ?? DEFAULT_COMMIT_TYPES,
      maintainerPrefix: user.commit?.maintainerPrefix ?? 'maint',
      headerMaxLength: user.commit?.headerMaxLength ?? 100,
    },
    claim: {
      maxAttempts: user.claim?.maxAttempts ?? 40,
      backoffMs: user.claim?.backoffMs ?? 40,
      maxBackoffMs: user.claim?.maxBackoffMs ?? 6000,
    },
    stale: {
      lockAgeHours: user.stale?.lockAgeHours ?? 24,
      idleHours: user.stale?.idleHours ?? 4,
    },
    rules: user.rules ?? {},
    worktree: user.worktree?.setup ? { setup: user.worktree.setup } : {},
    source,
  };
}

function formatIssue(issue: z.ZodIssue): string {
  const where = issue.path.join('.') || '(top level)';
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => (issue.path.length ? `${issue.path.join('.')}.${k}` : k));
    return `unknown key ${keys.map((k) => JSON.stringify(k)).join(', ')}`;
  }
  return `${where}: ${issue.message}`;
}

/**
 * Validates a parsed config object. `ruleIds` are the known rule ids: any other id under
 * "rules" is an error listing the known ones (as commitlint does).
 */
export function validateConfig(input: unknown, source: string, ruleIds?: readonly string[]): Config {
  const parsed = schema.safeParse(input ?? {});
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    throw new UsageError('bad-config', `${source}: ${formatIssue(first)}`, {
      fix: `fix ${source}; the keys and their defaults are listed in the README under "Configuration"`,
      data: { issues: parsed.error.issues.map(formatIssue) },
    });
  }
  if (ruleIds) {
    for (const id of Object.keys(parsed.data.rules ?? {})) {
      if (!ruleIds.includes(id)) {
        throw new UsageError('unknown-rule', `${source}: unknown rule id ${JSON.stringify(id)}`, {
          fix: `use one of: ${ruleIds.join(', ')}`,
        });
      }
    }
  }
  const config = resolveConfig(parsed.data, source);
  refuseNestedFolders(config, source);
  return config;
}

/**
 * The four folders are separate rooms: one inside another would let a path be judged by the
 * wrong rules (knowledge/ inside the sessions folder turns learnings into session files, and
 * kb-canonical never sees them), so the config is refused, as an unknown key is.
 */
function refuseNestedFolders(config: Config, source: string): void {
  const folders = (['sessions', 'knowledge', 'worktrees', 'clones'] as const).map((key) => [key, config.paths[key].replace(/\/+$/, '')] as const);
  for (const [key, path] of folders) {
    for (const [otherKey, other] of folders) {
      if (key === otherKey || !(path === other || path.startsWith(`${other}/`))) continue;
      throw new UsageError('bad-config', `${source}: paths.${key} (${path}) is ${path === other ? 'the same folder as' : 'inside'} paths.${otherKey} (${other})`, {
        fix: `give paths.${key} a folder of its own, outside paths.${otherKey}`,
      });
    }
  }
}

/** Larger than any config; a bigger file is refused before it is read. */
const CONFIG_MAX_BYTES = 16 << 20;

/** A config source's text: not read through a link, bounded, or a UsageError that says why. */
export function readConfigText(file: string, label: string): string {
  let text: string | undefined;
  try {
    // Not followed when a link, and bounded: the file comes from whoever can push, and a
    // link to /dev/zero or a FIFO would hang every command, one to ~/.npmrc read outside.
    text = readBounded(file, CONFIG_MAX_BYTES, (size) =>
      Object.assign(new Error(size > CONFIG_MAX_BYTES ? 'larger than 16 MB' : 'not a regular file'), { code: size > CONFIG_MAX_BYTES ? 'EFBIG' : 'ENOTREG' }),
    );
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ELOOP' || isSymlink(file)) {
      throw new UsageError('bad-config', `${label} is a symbolic link, which is not followed (the repository decides where it points)`, {
        fix: `replace the link ${label} with a regular JSON file`,
      });
    }
    // a directory, a FIFO, no permission: still bad input (exit 2), not a crash
    throw new UsageError('bad-config', `${label} cannot be read: ${code ?? 'error'}`, {
      fix: `make ${label} a readable JSON file`,
    });
  }
  if (text === undefined) {
    throw new UsageError('bad-config', `${label} cannot be read: ENOENT`, { fix: `make ${label} a readable JSON file` });
  }
  return text;
}

function readJson(file: string, label: string): unknown {
  const text = readConfigText(file, label);
  try {
    return JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text);
  } catch (err) {
    // V8 quotes a snippet of the file after the reason: drop it (it may hold control
    // characters or, through a symlink, someone else's file) and keep one clean line.
    const reason = (err as Error).message.replace(/,?\s*"[\s\S]*$/, '').replace(/[^\x20-\x7e]/g, '?');
    throw new UsageError('bad-config', `${label} is not valid JSON: ${reason}`, {
      fix: `repair ${label} (it must be a JSON object)`,
    });
  }
}

/** A dangling symlink is not "no config": it must be reported, not silently replaced by defaults. */
function isSymlink(file: string): boolean {
  try {
    return lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Loads and validates the repository's config; defaults when there is none. */
export function loadConfig(root: string, ruleIds?: readonly string[]): Config {
  const file = join(root, CONFIG_FILE);
  const pkgFile = join(root, 'package.json');
  let fromPackage: unknown;
  if (existsSync(pkgFile)) {
    const pkg = readJson(pkgFile, 'package.json');
    if (pkg && typeof pkg === 'object' && 'agentSessions' in pkg) fromPackage = (pkg as Record<string, unknown>).agentSessions;
  }
  if (existsSync(file) || isSymlink(file)) {
    if (fromPackage !== undefined) {
      throw new UsageError('bad-config', `configuration found twice: ${CONFIG_FILE} and the "agentSessions" key of package.json`, {
        fix: 'keep one of them',
      });
    }
    const data = readJson(file, CONFIG_FILE);
    if (data === null || typeof data !== 'object' || Array.isArray(data)) {
      throw new UsageError('bad-config', `${CONFIG_FILE} must hold a JSON object`, { fix: `write {} into ${CONFIG_FILE} for the defaults` });
    }
    return validateConfig(data, CONFIG_FILE, ruleIds);
  }
  if (fromPackage !== undefined) return validateConfig(fromPackage, 'package.json#agentSessions', ruleIds);
  return validateConfig({}, 'defaults', ruleIds);
}
