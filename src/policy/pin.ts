// Pins a hub's policy (install-server-hook, and its re-runs after a policy change): reads
// the config from the branch it guards and records it, with the digests of the rest of the
// policy, in the hub's git directory. The guarded branch is the one the config names, read
// from that branch itself: start at --branch or the hub's HEAD, and when the config found
// there names another branch that exists, read that branch's config, which must name itself.
import { UsageError } from '../errors.ts';
import { gitSync } from '../git.ts';
import { hasPath, policyAt, policyChanges, policyDigest, readPinnedRecord, writePinnedPolicy, type PinnedPolicy } from './pinned.ts';

export interface PinResult {
  file: string;
  branch: string;
  commit: string | null;
  source: string;
  /** What changed since the previous pin ([] when nothing; undefined on the first pin). */
  changed?: string[];
  notes: string[];
}

function branchTip(hub: string, branch: string): string | undefined {
  try {
    return gitSync(['rev-parse', '-q', '--verify', `refs/heads/${branch}^{commit}`], { cwd: hub }).trim() || undefined;
  } catch {
    return undefined;
  }
}

function headBranch(hub: string): string | undefined {
  try {
    const ref = gitSync(['symbolic-ref', '-q', 'HEAD'], { cwd: hub }).trim();
    return ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined;
  } catch {
    return undefined;
  }
}

export function pinHubPolicy(hub: string, ruleIds: readonly string[], options: { branch?: string; now?: Date } = {}): PinResult {
  const gitDir = gitSync(['rev-parse', '--absolute-git-dir'], { cwd: hub }).trim();
  const notes: string[] = [];
  const start = options.branch ?? headBranch(hub) ?? 'main';
  const startTip = branchTip(hub, start);
  if (options.branch && !startTip) {
    throw new UsageError('no-such-branch', `the hub has no branch ${options.branch}`, { fix: 'pass --branch with the hub\'s guarded branch (git ls-remote --heads <hub> lists them), or push it first' });
  }
  let commit = startTip ?? null;
  let read = startTip ? policyAt(hub, startTip, ruleIds) : undefined;
  let branch = read?.config.git.mainBranch ?? start;
  if (read && branch !== start) {
    const tip = branchTip(hub, branch);
    if (tip) {
      const there = policyAt(hub, tip, ruleIds);
      if (there.config.git.mainBranch !== branch) {
        throw new UsageError('policy-branch-mismatch', `the config on ${start} names ${branch} as the guarded branch, but the config on ${branch} names ${there.config.git.mainBranch}`, {
          fix: `make git.mainBranch agree on both branches in a [maint] commit, or pass --branch <guarded branch>`,
        });
      }
      read = there;
      commit = tip;
    } else {
      notes.push(`the config on ${start} guards ${branch}, which the hub does not have yet: pinned ${start}'s config; re-run install-server-hook after ${branch} is pushed`);
    }
  }
  if (read && commit && read.source === 'defaults' && !hasPath(hub, commit, read.config.paths.sessions)) {
    notes.push(`${branch} has not adopted agent-sessions yet (no config, no ${read.config.paths.sessions}/): pinned the defaults; re-run install-server-hook after the adoption commit is pushed`);
  }
  if (!read) notes.push(`the hub has no ${start} yet: pinned the defaults (guarded branch main); re-run install-server-hook after the first push to pin the repository's config (or pass --branch <the guarded branch> if the hub has it under another name)`);
  const config = read?.config;
  const digests = commit && config ? policyDigest(hub, commit, config) : { config: null, packageJson: null, agentSessions: null, templates: null, bin: null };
  if (!read) branch = 'main';
  const previous = readPinnedRecord(gitDir);
  const policy: PinnedPolicy = {
    version: 1,
    pinnedAt: (options.now ?? new Date()).toISOString(),
    branch,
    commit,
    source: read?.source ?? 'defaults',
    config: read?.user ?? null,
    digests,
  };
  const file = writePinnedPolicy(gitDir, policy);
  const result: PinResult = { file, branch, commit, source: policy.source, notes };
  if (previous?.digests && config) {
    result.changed = policyChanges(previous.digests, digests, config);
    if (previous.branch !== branch) result.changed.unshift(`guarded branch ${previous.branch} -> ${branch}`);
  }
  return result;
}
