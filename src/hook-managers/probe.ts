// Proves that each of our client hooks is reached in a work tree, whatever runs it (husky,
// lefthook, pre-commit, simple-git-hooks, a team's hooks folder): `git hook run <hook>` as git
// itself would run it, with AGENT_SESSIONS_PROBE naming a file that hooks/run.sh appends the
// hook's name to before it checks anything. A hook that exits early, a manager that dropped
// our command, a hooksPath that points elsewhere: each shows as a hook not reached.
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { CLIENT_HOOKS, type ClientHook } from './entries.ts';

export interface ProbeResult {
  reached: ClientHook[];
  missing: ClientHook[];
  /** git too old for `git hook run` (2.36+): nothing could be proven. */
  unsupported?: boolean;
}

/** `skipEnv`: what makes the manager skip the team's own hook entries (probe-skip.ts). */
export function probeHooks(worktree: string, skipEnv: Record<string, string> = {}): ProbeResult {
  const { spawnSync } = process.getBuiltinModule('node:child_process');
  const dir = mkdtempSync(join(tmpdir(), 'as-probe-'));
  try {
    const probe = join(dir, 'reached');
    const message = join(dir, 'COMMIT_EDITMSG');
    writeFileSync(probe, '');
    writeFileSync(message, '[maint] chore: agent-sessions doctor probe\n');
    const zero = '0'.repeat(40);
    const args: Record<ClientHook, string[]> = {
      'commit-msg': [message],
      'prepare-commit-msg': [message, 'message'],
      'pre-commit': [],
      'pre-push': ['origin', 'agent-sessions-probe'],
      'post-checkout': [zero, zero, '0'],
      'post-merge': ['0'],
      'post-rewrite': ['rebase'],
    };
    // pre-push gets one ref line (HEAD as a new branch): pre-commit runs no pre-push hook
    // for a push of nothing.
    const head = spawnSync('git', ['rev-parse', '-q', '--verify', 'HEAD'], { cwd: worktree, encoding: 'utf8' }).stdout?.trim();
    const pushLine = head ? `refs/heads/agent-sessions-probe ${head} refs/heads/agent-sessions-probe ${zero}\n` : '';
    const env: NodeJS.ProcessEnv = { ...process.env, ...skipEnv, AGENT_SESSIONS_PROBE: probe, SESSION_SLUG: '' };
    // Managers skip pre-commit when nothing is staged (lefthook: "no matching staged files"):
    // the probe stages one empty file in a copy of the index, never in the real one.
    const index = join(dir, 'index');
    const realIndex = spawnSync('git', ['rev-parse', '--git-path', 'index'], { cwd: worktree, encoding: 'utf8' }).stdout?.trim();
    if (realIndex && existsSync(isAbsolute(realIndex) ? realIndex : join(worktree, realIndex))) copyFileSync(isAbsolute(realIndex) ? realIndex : join(worktree, realIndex), index);
    const empty = spawnSync('git', ['hash-object', '-w', '--stdin'], { cwd: worktree, input: '', encoding: 'utf8' }).stdout?.trim();
    if (empty) spawnSync('git', ['update-index', '--add', '--cacheinfo', `100644,${empty},agent-sessions-doctor-probe`], { cwd: worktree, env: { ...process.env, GIT_INDEX_FILE: index } });
    for (const hook of CLIENT_HOOKS) {
      if (hook === 'pre-push') {
        // `git hook run` gives a hook no stdin before git 2.42 (--to-stdin): the pre-push file
        // that git would run (core.hooksPath honoured) is run directly, as git runs it.
        const file = spawnSync('git', ['rev-parse', '--git-path', 'hooks/pre-push'], { cwd: worktree, encoding: 'utf8' }).stdout?.trim();
        if (file) spawnSync(isAbsolute(file) ? file : join(worktree, file), args[hook], { cwd: worktree, input: pushLine, encoding: 'utf8', timeout: 30_000, env });
        continue;
      }
      const hookEnv = hook === 'pre-commit' && existsSync(index) ? { ...env, GIT_INDEX_FILE: index } : env;
      const result = spawnSync('git', ['hook', 'run', '--ignore-missing', hook, '--', ...args[hook]], { cwd: worktree, input: '', encoding: 'utf8', timeout: 30_000, env: hookEnv });
      if (/is not a git command|unknown subcommand/.test(result.stderr ?? '')) return { reached: [], missing: [], unsupported: true };
    }
    const seen = new Set(readFileSync(probe, 'utf8').split('\n').filter(Boolean));
    return { reached: CLIENT_HOOKS.filter((h) => seen.has(h)), missing: CLIENT_HOOKS.filter((h) => !seen.has(h)) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
