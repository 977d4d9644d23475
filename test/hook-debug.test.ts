// AGENT_SESSIONS_DEBUG=1 makes the hook runner print its arguments; pre-push's second one is
// the remote's URL, which may carry a password or token. It is redacted like every other line.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { HOOK_RUNNER, makeRepo } from './helpers/repo.ts';

describe('the hook runner under AGENT_SESSIONS_DEBUG=1', () => {
  it('prints pre-push arguments with the credentials in the remote URL redacted', () => {
    const repo = makeRepo();
    const url = 'https://alice:hunter2@127.0.0.1:9/hub.git';
    const ran = spawnSync(process.execPath, [HOOK_RUNNER, 'pre-push', 'origin', url], { cwd: repo.dir, input: '', encoding: 'utf8', env: { ...process.env, AGENT_SESSIONS_DEBUG: '1' } });
    expect(ran.status, ran.stderr).toBe(0);
    expect(ran.stderr).toMatch(/agent-sessions\[debug\]: pre-push hook runner started \(args: \["origin","https:\/\/\*\*\*@127\.0\.0\.1:9\/hub\.git"\]\)/);
    expect(ran.stderr).not.toContain('hunter2');
  }, 60_000);
});
