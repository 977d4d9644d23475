// A team that already lints with commitlint keeps its rules: message-format runs the
// repository's own commitlint config (JSON, YAML, JS; package.json's "commitlint" key) on the
// message without its `[<slug>] ` prefix, at commit-msg, through the real installed hooks.
// Without such a config nothing of commitlint's loader is imported (the hook stays as fast).
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { findTeamCommitlintConfig } from '../src/message/team-commitlint.ts';
import { gitTry, HOOK_RUNNER, makeRepo, type Repo } from './helpers/repo.ts';

let repo: Repo;
let written = 0;

function commitWith(message: string, file = 'notes.txt'): { code: number | null; stderr: string; moved: boolean } {
  const before = repo.git('rev-parse', 'HEAD').trim();
  repo.write(file, `${++written} ${message}\n`);
  repo.git('add', '--', file);
  const result = gitTry(repo.dir, ['commit', '-q', '-m', message]);
  const moved = repo.git('rev-parse', 'HEAD').trim() !== before;
  if (!moved) gitTry(repo.dir, ['reset', '-q', '--', file]);
  return { code: result.status, stderr: result.stderr, moved };
}

const TEAM_RULES = {
  rules: {
    'scope-enum': [2, 'always', ['api', 'ui']],
    'subject-case': [2, 'always', 'lower-case'],
    'body-max-line-length': [2, 'always', 40],
  },
};

beforeAll(() => {
  repo = makeRepo();
}, 60_000);

describe('the team commitlint config', () => {
  it('is found at the top by the names commitlint reads, and not elsewhere', () => {
    expect(findTeamCommitlintConfig(repo.dir)).toBeUndefined();
    repo.write('sub/commitlint.config.js', 'export default {}\n');
    expect(findTeamCommitlintConfig(repo.dir)).toBeUndefined();
    repo.write('package.json', JSON.stringify({ name: 'x', description: 'no commitlint key, only the word commitlint' }));
    expect(findTeamCommitlintConfig(repo.dir)).toBeUndefined();
    repo.write('package.json', JSON.stringify({ name: 'x', commitlint: { rules: {} } }));
    expect(findTeamCommitlintConfig(repo.dir)).toBe('package.json');
    repo.write('.commitlintrc.yml', 'rules: {}\n');
    expect(findTeamCommitlintConfig(repo.dir)).toBe('.commitlintrc.yml');
    for (const f of ['sub', 'package.json', '.commitlintrc.yml']) rmSync(join(repo.dir, f), { recursive: true, force: true });
  });

  it('without a config, only our grammar applies (a capitalised subject and any scope pass)', () => {
    expect(commitWith('[maint] chore(db): Tidy the notes').moved).toBe(true);
  });

  it('with a JSON config, its rules refuse what they refuse, naming each rule, and accept the rest', () => {
    repo.write('.commitlintrc.json', JSON.stringify(TEAM_RULES));
    repo.git('add', '.commitlintrc.json');
    repo.git('commit', '-q', '--no-verify', '-m', '[maint] chore: team commitlint rules');

    const bad = commitWith('[maint] chore(db): Tidy the notes');
    expect(bad.code).toBe(1);
    expect(bad.moved).toBe(false);
    expect(bad.stderr).toMatch(/commitlint config refuses/);
    expect(bad.stderr).toMatch(/scope-enum/);
    expect(bad.stderr).toMatch(/subject-case/);
    expect(bad.stderr).toMatch(/keeping the "\[maint\] " prefix/);

    const body = commitWith('[maint] chore(api): tidy\n\nthis body line is much longer than forty characters');
    expect(body.code).toBe(1);
    expect(body.stderr).toMatch(/body-max-line-length/);

    const good = commitWith('[maint] chore(api): tidy the notes');
    expect(good.stderr).toBe('');
    expect(good.moved).toBe(true);
  });

  it('our own grammar still comes first (an unknown type is ours to refuse)', () => {
    const bad = commitWith('[maint] wip(api): tidy the notes');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/type must be one of/);
  });

  it('a JavaScript config is code: run only where the team runs commitlint itself, or where this checkout trusts it', () => {
    rmSync(join(repo.dir, '.commitlintrc.json'));
    repo.write('commitlint.config.mjs', `export default { rules: { 'scope-empty': [2, 'never'] } };\n`);
    repo.git('add', '-A');
    repo.git('commit', '-q', '--no-verify', '-m', '[maint] chore: team rules in JS');
    // Pushed by anyone, trusted by nobody here: not run, and the commit says so.
    const untrusted = commitWith('[maint] chore: no scope');
    expect(untrusted.moved).toBe(true);
    expect(untrusted.stderr).toMatch(/commitlint\.config\.mjs is code/);
    expect(untrusted.stderr).toMatch(/git config agent-sessions\.commitlintCode true/);
    // The printed command, copied.
    repo.git('config', 'agent-sessions.commitlintCode', 'true');
    const bad = commitWith('[maint] chore: no scope');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/scope-empty/);
    expect(commitWith('[maint] chore(x): a scope').moved).toBe(true);
    // Declaring @commitlint/cli in package.json is repository data too: it trusts nothing.
    repo.git('config', '--unset', 'agent-sessions.commitlintCode');
    repo.write('package.json', JSON.stringify({ name: 'team', devDependencies: { '@commitlint/cli': '^20.0.0' } }));
    expect(commitWith('[maint] chore: no scope').moved).toBe(true);
    // A team whose commitlint is really installed (untracked node_modules) runs its config anyway: trusted.
    repo.write('node_modules/@commitlint/cli/package.json', '{"name":"@commitlint/cli"}');
    expect(commitWith('[maint] chore: no scope').code).toBe(1);
    rmSync(join(repo.dir, 'package.json'));
    rmSync(join(repo.dir, 'node_modules', '@commitlint'), { recursive: true });
    repo.git('config', 'agent-sessions.commitlintCode', 'true');
  });

  it('a JSON config that extends a committed ./x.cjs is code: not loaded untrusted, nothing runs', () => {
    repo.git('config', '--unset', 'agent-sessions.commitlintCode');
    rmSync(join(repo.dir, 'commitlint.config.mjs'));
    const marker = join(repo.dir, 'PWNED');
    repo.write('evil.cjs', `require('fs').writeFileSync(${JSON.stringify(marker)}, 'x'); module.exports = { rules: {} };\n`);
    for (const [file, text] of [
      ['.commitlintrc.json', '{"extends": ["./evil.cjs"], "rules": {}}'],
      ['.commitlintrc.yml', 'parserPreset: ./evil.cjs\nrules: {}\n'],
    ] as const) {
      repo.write(file, text);
      const result = commitWith('[maint] chore: anything');
      expect(result.moved, result.stderr).toBe(true);
      expect(result.stderr).toMatch(/loads code \(extends, parserPreset, plugins or formatter\)/);
      expect(existsSync(marker)).toBe(false);
      rmSync(join(repo.dir, file));
    }
    rmSync(join(repo.dir, 'evil.cjs'));
    repo.write('commitlint.config.mjs', `export default { rules: { 'scope-empty': [2, 'never'] } };\n`);
    repo.git('config', 'agent-sessions.commitlintCode', 'true');
  });

  it('a broken config stops the commit (the hook exits 2) and says how to see what commitlint reads', () => {
    repo.write('commitlint.config.mjs', 'export default { rules: { \n');
    repo.write('msg.txt', '[maint] chore(x): whatever\n');
    const hook = spawnSync(process.execPath, [HOOK_RUNNER, 'commit-msg', 'msg.txt'], { cwd: repo.dir, encoding: 'utf8' });
    expect(hook.status).toBe(2);
    rmSync(join(repo.dir, 'msg.txt'));
    const broken = commitWith('[maint] chore(x): whatever');
    expect(broken.code).toBe(1); // git's own code for any refusing commit-msg hook
    expect(broken.moved).toBe(false);
    expect(broken.stderr).toMatch(/cannot load the repository's commitlint config/);
    expect(broken.stderr).toMatch(/npx commitlint --print-config/);
    rmSync(join(repo.dir, 'commitlint.config.mjs'));
  });
});
