// Proves that each of our client hooks is reached in a work tree, whatever runs it (husky,
// lefthook, pre-commit, simple-git-hooks, a team's hooks folder): `git hook run <hook>` as git
// itself would run it, with AGENT_SESSIONS_PROBE naming a file that hooks/run.sh appends the
// hook's name to before it checks anything. A hook that exits early, a manager that dropped
// our command, a hooksPath that points elsewhere: each shows as a hook not reached.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLIENT_HOOKS, type ClientHook } from './entries.ts';

export interface ProbeResult {
  reached: ClientHook[];
  missing: ClientHook[];
  /** git too old for `git hook run` (2.36+): nothing could be proven. */
  unsupported?: boolean;
}

export function probeHooks(worktree: string): ProbeResult {
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
    };
    for (const hook of CLIENT_HOOKS) {
      const result = spawnSync('git', ['hook', 'run', '--ignore-missing', hook, '--', ...args[hook]], {
        cwd: worktree,
        input: '',
        encoding: 'utf8',
        timeout: 30_000,
        env: { ...process.env, AGENT_SESSIONS_PROBE: probe, SESSION_SLUG: '' },
      });
      if (/is not a git command|unknown subcommand/.test(result.stderr ?? '')) return { reached: [], missing: [], unsupported: true };
    }
    const seen = new Set(readFileSync(probe, 'utf8').split('\n').filter(Boolean));
    return { reached: CLIENT_HOOKS.filter((h) => seen.has(h)), missing: CLIENT_HOOKS.filter((h) => !seen.has(h)) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
