// What doctor's probe asks each hook manager to skip: every entry of the team's, never ours.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { probeSkip } from '../../src/hook-managers/probe-skip.ts';

const made: string[] = [];
function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'as-probe-skip-'));
  made.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('probeSkip', () => {
  it('lefthook: names and tags of every other command, script and job (local config too), never ours', () => {
    const dir = dirWith({
      'lefthook.yml': 'pre-commit:\n  commands:\n    format:\n      tags: [style, agent-sessions]\n      run: x\n    agent-sessions:\n      run: sh run.sh pre-commit\n  scripts:\n    "check.sh":\n      runner: bash\npost-checkout:\n  jobs:\n    - name: deps\n      run: npm i\n    - group:\n        jobs:\n          - name: inner\n            run: y\n',
      'lefthook-local.yml': 'commit-msg:\n  commands:\n    mine:\n      run: z\n    "a,b":\n      run: w\n',
    });
    const skip = probeSkip(dir, 'lefthook');
    expect(skip.teamHooksRun).toBe(false);
    expect(skip.env.LEFTHOOK_EXCLUDE!.split(',').sort()).toEqual(['check.sh', 'deps', 'format', 'inner', 'mine', 'style']);
  });

  it('pre-commit: ids and aliases of every other hook, never ours', () => {
    const dir = dirWith({ '.pre-commit-config.yaml': 'repos:\n  - repo: https://example.test/x\n    hooks:\n      - id: black\n        alias: fmt\n  - repo: local\n    hooks:\n      - id: agent-sessions-commit-msg\n' });
    expect(probeSkip(dir, 'pre-commit')).toEqual({ env: { SKIP: 'black,fmt' }, teamHooksRun: false });
  });

  it('a skip list too long for one environment string is not passed; doctor then says the team ran', () => {
    const commands = Array.from({ length: 3000 }, (_, i) => `    cmd-${i}-${'x'.repeat(10)}:\n      run: x\n`).join('');
    const skip = probeSkip(dirWith({ 'lefthook.yml': `pre-commit:\n  commands:\n${commands}` }), 'lefthook');
    expect(skip).toEqual({ env: {}, teamHooksRun: true });
  });

  it('husky: only a hook file with lines besides our shim counts as the team\'s', () => {
    const shim = '# agent-sessions: runs the pre-commit checks\nas_run="x"/hooks/run.sh\nif [ -f "$as_run" ]; then sh "$as_run" pre-commit "$@" || exit $?; fi\n';
    expect(probeSkip(dirWith({ '.husky/pre-commit': shim }), 'husky').teamHooksRun).toBe(false);
    expect(probeSkip(dirWith({ '.husky/pre-commit': `npx lint-staged\n${shim}` }), 'husky').teamHooksRun).toBe(true);
    expect(probeSkip(dirWith({ 'package.json': '{"simple-git-hooks": {"pre-commit": "npm test && sh run.sh pre-commit"}}' }), 'simple-git-hooks').teamHooksRun).toBe(true);
  });
});
