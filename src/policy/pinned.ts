// The hub's pinned policy: the config (and digests of everything else that is policy) that
// the hub's pre-receive judges with. `install-server-hook` reads it from the guarded branch
// and records it in the hub's git directory, where no push can reach it; a pushed change to
// the policy takes effect at the hub only when an admin pins again. Without this, push 1
// could switch every rule off and push 2 would be judged by push 1's config.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_FILE, defaultConfig, validateConfig, type Config } from '../config.ts';
import { RefusedError, UsageError } from '../errors.ts';
import { gitSync } from '../git.ts';
import { agentSessionsKey, PACKAGE_JSON, policyFolders } from './paths.ts';
import { blobReadAhead, entryReadAhead } from './read-ahead.ts';

/** Object ids (and the package.json key's hash) of a commit's policy; null where absent. */
export interface PolicyDigest {
  config: string | null;
  packageJson: string | null;
  agentSessions: string | null;
  templates: string | null;
  bin: string | null;
}

export interface PinnedPolicy {
  version: 1;
  pinnedAt: string;
  /** The guarded branch, as the pinned config names it. */
  branch: string;
  /** The commit the policy was read from; null when the hub had none (defaults pinned). */
  commit: string | null;
  /** agent-sessions.config.json, package.json#agentSessions or defaults. */
  source: string;
  /** The config object as committed (null: the defaults). */
  config: unknown;
  digests: PolicyDigest;
}

export const POLICY_DIR = 'agent-sessions';
export const POLICY_FILE = 'policy.json';

export function pinnedPolicyPath(gitDir: string): string {
  return join(gitDir, POLICY_DIR, POLICY_FILE);
}

function blobAt(cwd: string, spec: string): string | undefined {
  const ahead = blobReadAhead(cwd, spec); // an object id the first push's pre-receive read ahead
  if (ahead) return ahead.toString('utf8');
  try {
    return gitSync(['cat-file', 'blob', spec], { cwd });
  } catch {
    return undefined;
  }
}

/**
 * The last listing of a COMMIT ID's paths: the hub's pre-receive reads the pushed tip's
 * policy paths for its digest and then, when they changed, its config and package.json again
 * (pushedConfigProblem); one `ls-tree` answers both. A commit's tree never changes; a path
 * with pathspec magic or a wildcard is always asked of git.
 */
let lastListing: { cwd: string; rev: string; paths: readonly string[]; ids: Map<string, string> } | undefined;
const plainPath = (path: string) => !/^:|[*?[\\]/.test(path);

/** path -> object id for the given paths of `rev`'s tree, in one git call. */
function idsAt(cwd: string, rev: string, paths: readonly string[]): Map<string, string> {
  const last = lastListing;
  if (last && last.cwd === cwd && last.rev === rev && paths.every((path) => plainPath(path) && last.paths.includes(path))) {
    return new Map([...last.ids].filter(([path]) => paths.includes(path)));
  }
  const out = new Map<string, string>();
  // A first push's pre-receive read the tip's root and sessions trees ahead (read-ahead.ts).
  if (paths.every(plainPath)) {
    const ahead = paths.map((path) => entryReadAhead(cwd, rev, path));
    if (ahead.every((id) => id !== undefined)) {
      paths.forEach((path, i) => ahead[i] !== null && out.set(path, ahead[i]!));
      return out;
    }
  }
  const text = gitSync(['ls-tree', '-z', rev, '--', ...paths], { cwd });
  for (const record of text.split('\0')) {
    const tab = record.indexOf('\t');
    if (tab === -1) continue;
    const [, , id] = record.slice(0, tab).split(' ');
    if (id) out.set(record.slice(tab + 1), id);
  }
  if (/^[0-9a-f]{40,64}$/.test(rev) && paths.every(plainPath)) lastListing = { cwd, rev, paths: [...paths], ids: out };
  return out;
}

/** Whether `rev`'s tree has `path` (a file or a folder). */
export function hasPath(cwd: string, rev: string, path: string): boolean {
  return idsAt(cwd, rev, [path]).has(path);
}

function hash(text: string): string {
  // crypto is loaded only when a package.json's key is hashed, not by every hook's start
  const { createHash } = process.getBuiltinModule('node:crypto');
  return createHash('sha256').update(text).digest('hex');
}

/**
 * The policy a commit holds: its config (validated; defaults when it has none) and the
 * object it came from. A config that does not validate is a UsageError naming the commit.
 */
export function policyAt(cwd: string, rev: string, ruleIds: readonly string[]): { config: Config; user: unknown; source: string } {
  const ids = idsAt(cwd, rev, [CONFIG_FILE, PACKAGE_JSON]);
  const where = `${rev.slice(0, 12)}:`;
  const parse = (id: string, label: string): unknown => {
    try {
      const text = blobAt(cwd, id) ?? '';
      return JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text) as unknown;
    } catch {
      throw new UsageError('bad-config', `${where}${label} is not valid JSON`, { fix: `repair ${label} on that commit in a [maint] commit` });
    }
  };
  const configId = ids.get(CONFIG_FILE);
  const pkgId = ids.get(PACKAGE_JSON);
  const pkg = pkgId ? parse(pkgId, PACKAGE_JSON) : undefined;
  const fromPackage = pkg && typeof pkg === 'object' && 'agentSessions' in pkg ? { user: (pkg as Record<string, unknown>).agentSessions } : undefined;
  if (configId) {
    // As every command loads it (config.ts): with both, the CLI refuses to start at all.
    if (fromPackage) throw new UsageError('bad-config', `${where} configuration found twice: ${CONFIG_FILE} and the "agentSessions" key of ${PACKAGE_JSON}`, { fix: 'keep one of them, in a [maint] commit' });
    const user = parse(configId, CONFIG_FILE);
    return { config: validateConfig(user, `${where}${CONFIG_FILE}`, ruleIds), user, source: CONFIG_FILE };
  }
  if (fromPackage) return { config: validateConfig(fromPackage.user, `${where}${PACKAGE_JSON}#agentSessions`, ruleIds), user: fromPackage.user, source: `${PACKAGE_JSON}#agentSessions` };
  return { config: defaultConfig(), user: null, source: 'defaults' };
}

/**
 * The digest of `rev`'s policy, with the paths `config` names. One git call; package.json's
 * content is read only when its blob differs from `known` (the pinned digest).
 */
export function policyDigest(cwd: string, rev: string, config: Config, known?: PolicyDigest): PolicyDigest {
  const { templates, bin } = policyFolders(config);
  const ids = idsAt(cwd, rev, [CONFIG_FILE, PACKAGE_JSON, templates, bin]);
  const pkg = ids.get(PACKAGE_JSON) ?? null;
  let agentSessions: string | null = null;
  if (pkg !== null) {
    if (known && known.packageJson === pkg) agentSessions = known.agentSessions;
    else {
      const key = agentSessionsKey(blobAt(cwd, pkg));
      agentSessions = key === undefined ? null : hash(key);
    }
  }
  return { config: ids.get(CONFIG_FILE) ?? null, packageJson: pkg, agentSessions, templates: ids.get(templates) ?? null, bin: ids.get(bin) ?? null };
}

/** Which parts of the policy differ between two digests (package.json counts by its key only). */
export function policyChanges(a: PolicyDigest, b: PolicyDigest, config: Config): string[] {
  const { templates, bin } = policyFolders(config);
  const out: string[] = [];
  if (a.config !== b.config) out.push(CONFIG_FILE);
  if (a.agentSessions !== b.agentSessions) out.push(`${PACKAGE_JSON}#agentSessions`);
  if (a.templates !== b.templates) out.push(`${templates}/`);
  if (a.bin !== b.bin) out.push(`${bin}/`);
  return out;
}

export function writePinnedPolicy(gitDir: string, policy: PinnedPolicy): string {
  const file = pinnedPolicyPath(gitDir);
  mkdirSync(join(gitDir, POLICY_DIR), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(policy, null, 2)}\n`);
  renameSync(temp, file);
  return file;
}

/** The record as it is, or undefined when none was pinned (no validation: see loadPinnedPolicy). */
export function readPinnedRecord(gitDir: string): PinnedPolicy | undefined {
  let text: string;
  try {
    text = readFileSync(pinnedPolicyPath(gitDir), 'utf8');
  } catch {
    return undefined;
  }
  try {
    return JSON.parse(text) as PinnedPolicy;
  } catch {
    return undefined;
  }
}

/**
 * The pinned policy and its validated config, for pre-receive. Fails closed: a hub without a
 * pinned policy, or with one that does not validate, judges nothing and accepts nothing.
 */
export function loadPinnedPolicy(gitDir: string, ruleIds: readonly string[]): { policy: PinnedPolicy; config: Config } {
  const file = pinnedPolicyPath(gitDir);
  const fix = `an admin runs \`agent-sessions install-server-hook ${gitDir}\` on the hub (it pins the guarded branch's policy)`;
  const policy = readPinnedRecord(gitDir);
  if (!policy || policy.version !== 1 || typeof policy.digests !== 'object' || policy.digests === null) {
    throw new RefusedError('policy-not-pinned', `this hub has no readable pinned policy (${file})`, { fix });
  }
  let config: Config;
  try {
    config = policy.config === null ? defaultConfig() : validateConfig(policy.config, `the hub's pinned policy (${policy.source})`, ruleIds);
  } catch (err) {
    throw new RefusedError('policy-not-pinned', (err as Error).message, { fix });
  }
  return { policy, config: { ...config, source: `pinned on the hub from ${policy.source}${policy.commit ? ` at ${policy.commit.slice(0, 12)}` : ''}` } };
}
