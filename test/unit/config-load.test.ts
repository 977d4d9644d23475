// Config resolution and loading, exactly: every default, every override, the wording of each
// refusal (unknown key at the top or nested, a bad value, an unknown rule with the known ones
// listed), and files that are not JSON, not readable, dangling symlinks or found twice.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_FILE, DEFAULT_COMMIT_TYPES, defaultConfig, loadConfig, validateConfig } from '../../src/config.ts';
import { refusal } from '../helpers/refusal.ts';


describe('resolved config', () => {
  it('has every default of the protocol', () => {
    expect(defaultConfig()).toEqual({
      paths: { sessions: '_AGENTS/sessions', knowledge: '_AGENTS/knowledge', worktrees: '.worktrees', clones: '.sessions', lockFile: '_AGENTS/sessions/sessions.lock' },
      git: { remote: 'origin', mainBranch: 'main', branchPrefix: 'session/', hubMode: 'direct' },
      commit: { types: DEFAULT_COMMIT_TYPES, maintainerPrefix: 'maint', headerMaxLength: 100 },
      claim: { maxAttempts: 40, backoffMs: 40, maxBackoffMs: 6000 },
      stale: { lockAgeHours: 24, idleHours: 4 },
      worktree: {},
      rules: {},
      source: 'defaults',
    });
    expect(DEFAULT_COMMIT_TYPES).toEqual(['feat', 'fix', 'docs', 'style', 'refactor', 'perf', 'test', 'build', 'ci', 'chore', 'revert']);
  });

  it('takes every value the user sets, paths normalised', () => {
    const user = {
      paths: { sessions: './s/', knowledge: 'k//', worktrees: 'w', clones: 'c', lockFile: 'l/lock' },
      git: { remote: 'hub', mainBranch: 'trunk', branchPrefix: 'work/', hubMode: 'refs' as const },
      commit: { types: ['wip'], maintainerPrefix: 'ops', headerMaxLength: 72 },
      claim: { maxAttempts: 3, backoffMs: 0, maxBackoffMs: 10 },
      stale: { lockAgeHours: 1.5, idleHours: 0 },
      worktree: { setup: 'npm ci' },
      rules: { a: 'warn' as const },
    };
    expect(validateConfig(user, 'src.json')).toEqual({
      paths: { sessions: 's', knowledge: 'k', worktrees: 'w', clones: 'c', lockFile: 'l/lock' },
      git: { remote: 'hub', mainBranch: 'trunk', branchPrefix: 'work/', hubMode: 'refs' },
      commit: { types: ['wip'], maintainerPrefix: 'ops', headerMaxLength: 72 },
      claim: { maxAttempts: 3, backoffMs: 0, maxBackoffMs: 10 },
      stale: { lockAgeHours: 1.5, idleHours: 0 },
      worktree: { setup: 'npm ci' },
      rules: { a: 'warn' },
      source: 'src.json',
    });
    expect(validateConfig(null, 'n').source).toBe('n');
    expect(validateConfig(undefined, 'u').paths.sessions).toBe('_AGENTS/sessions');
  });
});

describe('refusals name the key and the fix', () => {
  it('an unknown key, at the top and nested', () => {
    const top = refusal(() => validateConfig({ bogus: 1, other: 2 }, 'cfg.json'));
    expect(top.message).toBe('cfg.json: unknown key "bogus", "other"');
    expect(top.exitCode).toBe(2);
    expect(top.fix).toBe('fix cfg.json; the keys and their defaults are listed in the README under "Configuration"');
    expect(top.data).toEqual({ issues: ['unknown key "bogus", "other"'] });
    expect(refusal(() => validateConfig({ git: { remot: 'x' } }, 'cfg.json')).message).toBe('cfg.json: unknown key "git.remot"');
  });

  it('a bad value names its path, or (top level)', () => {
    expect(refusal(() => validateConfig('text', 'cfg.json')).message).toMatch(/^cfg\.json: \(top level\): /);
    expect(refusal(() => validateConfig({ paths: { sessions: 'a\\b' } }, 'cfg.json')).message).toBe('cfg.json: paths.sessions: must use "/" and hold no control characters');
    expect(refusal(() => validateConfig({ paths: { sessions: 'C:/x' } }, 'cfg.json')).message).toBe('cfg.json: paths.sessions: must be relative to the repository root');
    for (const sessions of [':x/sessions', ':(icase)s', '_AGENTS/sess*', 'a?b', 'a/[sb]essions']) {
      expect(refusal(() => validateConfig({ paths: { sessions } }, 'cfg.json')).message, sessions).toBe(
        'cfg.json: paths.sessions: must not start with ":" nor hold "*", "?" or "[" (git reads them as pathspec magic and wildcards)',
      );
    }
    expect(validateConfig({ paths: { sessions: 'notes:v2/x]y' } }, 'cfg.json').paths.sessions).toBe('notes:v2/x]y');
    expect(refusal(() => validateConfig({ git: { remote: 'a..b' } }, 'cfg.json')).message).toBe('cfg.json: git.remote: must not start with "-" or contain ".."');
    expect(refusal(() => validateConfig({ git: { hubMode: 'protected' } }, 'cfg.json')).message).toBe('cfg.json: git.hubMode: must be one of direct, integration, refs');
    const two = refusal(() => validateConfig({ paths: { sessions: 'C:/a' }, git: { remote: '-x' } }, 'cfg.json'));
    expect(two.data?.issues).toHaveLength(2);
  });

  it('an unknown rule id lists the known ones', () => {
    const err = refusal(() => validateConfig({ rules: { nope: 'off' } }, 'cfg.json', ['a', 'b']));
    expect(err.message).toBe('cfg.json: unknown rule id "nope"');
    expect(err.fix).toBe('use one of: a, b');
    expect(validateConfig({ rules: { b: ['warn', { x: 1 }] } }, 'cfg.json', ['a', 'b']).rules).toEqual({ b: ['warn', { x: 1 }] });
  });
});

describe('loadConfig', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'as-config-load-'));

  it('reads the config file (with a BOM) or the package.json key, and says where it came from', () => {
    const a = dir();
    writeFileSync(join(a, CONFIG_FILE), '\uFEFF{"git":{"mainBranch":"trunk"}}');
    expect(loadConfig(a)).toMatchObject({ source: CONFIG_FILE, git: { mainBranch: 'trunk' } });
    const b = dir();
    writeFileSync(join(b, 'package.json'), '{"name":"x","agentSessions":{"git":{"remote":"hub"}}}');
    expect(loadConfig(b)).toMatchObject({ source: 'package.json#agentSessions', git: { remote: 'hub' } });
    const c = dir();
    writeFileSync(join(c, 'package.json'), '{"name":"x"}');
    expect(loadConfig(c).source).toBe('defaults');
    writeFileSync(join(c, 'package.json'), '"just a string"');
    expect(loadConfig(c).source).toBe('defaults');
  });

  it('refuses a config found twice, a non-object, bad JSON without quoting the file, and an unreadable file', () => {
    const a = dir();
    writeFileSync(join(a, 'package.json'), '{"agentSessions":{}}');
    writeFileSync(join(a, CONFIG_FILE), '{}');
    const twice = refusal(() => loadConfig(a));
    expect(twice.message).toBe(`configuration found twice: ${CONFIG_FILE} and the "agentSessions" key of package.json`);
    expect(twice.fix).toBe('keep one of them');

    const b = dir();
    for (const text of ['null', '[1]', '7']) {
      writeFileSync(join(b, CONFIG_FILE), text);
      const err = refusal(() => loadConfig(b));
      expect(err.message).toBe(`${CONFIG_FILE} must hold a JSON object`);
      expect(err.fix).toBe(`write {} into ${CONFIG_FILE} for the defaults`);
    }
    writeFileSync(join(b, CONFIG_FILE), '{ "secret\u001b[31m": ');
    const bad = refusal(() => loadConfig(b));
    expect(bad.message).toMatch(new RegExp(`^${CONFIG_FILE} is not valid JSON: [\\x20-\\x7e]+$`));
    expect(bad.message).not.toContain('secret');
    expect(bad.fix).toBe(`repair ${CONFIG_FILE} (it must be a JSON object)`);

    const c = dir();
    writeFileSync(join(c, 'package.json'), '{ broken');
    expect(refusal(() => loadConfig(c)).message).toMatch(/^package\.json is not valid JSON: /);

    const d = dir();
    mkdirSync(join(d, CONFIG_FILE));
    const unreadable = refusal(() => loadConfig(d));
    expect(unreadable.message).toBe(`${CONFIG_FILE} cannot be read: EISDIR`);
    expect(unreadable.fix).toBe(`make ${CONFIG_FILE} a readable JSON file`);

    const e = dir();
    symlinkSync(join(e, 'nowhere.json'), join(e, CONFIG_FILE));
    const dangling = refusal(() => loadConfig(e));
    expect(dangling.message).toBe(`${CONFIG_FILE} is a symbolic link, which is not followed (the repository decides where it points)`);
    expect(dangling.fix).toBe(`replace the link ${CONFIG_FILE} with a regular JSON file`);
  });

  it('never reads a config source through a link, a FIFO or past 16 MB', () => {
    const a = dir();
    writeFileSync(join(a, 'real.json'), '{}');
    symlinkSync('real.json', join(a, CONFIG_FILE));
    expect(refusal(() => loadConfig(a)).message).toBe(`${CONFIG_FILE} is a symbolic link, which is not followed (the repository decides where it points)`);
    const b = dir();
    writeFileSync(join(b, 'real.json'), '{"agentSessions":{}}');
    symlinkSync('real.json', join(b, 'package.json'));
    expect(refusal(() => loadConfig(b)).message).toBe('package.json is a symbolic link, which is not followed (the repository decides where it points)');
    const c = dir();
    execFileSync('mkfifo', [join(c, CONFIG_FILE)]);
    const fifo = refusal(() => loadConfig(c));
    expect(fifo.message).toBe(`${CONFIG_FILE} cannot be read: ENOTREG`);
    expect(fifo.fix).toBe(`make ${CONFIG_FILE} a readable JSON file`);
    const d = dir();
    writeFileSync(join(d, CONFIG_FILE), `{"x":"${'y'.repeat(16 << 20)}"}`);
    expect(refusal(() => loadConfig(d)).message).toBe(`${CONFIG_FILE} cannot be read: EFBIG`);
    writeFileSync(join(d, CONFIG_FILE), `{"x":"${'y'.repeat((16 << 20) - 10)}"}`);
    expect(refusal(() => loadConfig(d)).message).toBe(`${CONFIG_FILE}: unknown key "x"`);
  });

  it('checks rule ids from the file too', () => {
    const a = dir();
    writeFileSync(join(a, CONFIG_FILE), '{"rules":{"zzz":"off"}}');
    expect(loadConfig(a).rules).toEqual({ zzz: 'off' });
    expect(refusal(() => loadConfig(a, ['message-format'])).message).toBe(`${CONFIG_FILE}: unknown rule id "zzz"`);
    writeFileSync(join(a, CONFIG_FILE), '{}');
    writeFileSync(join(a, 'package.json'), '{"agentSessions":{"rules":{"zzz":"off"}}}');
    expect(() => loadConfig(a, ['message-format'])).toThrow('configuration found twice');
  });
});

describe('edges the mutation run found', () => {
  it('each refusal carries its code', () => {
    expect(refusal(() => validateConfig({ bogus: 1 }, 'c')).code).toBe('bad-config');
    expect(refusal(() => validateConfig({ rules: { x: 'off' } }, 'c', ['a'])).code).toBe('unknown-rule');
    const a = mkdtempSync(join(tmpdir(), 'as-config-codes-'));
    mkdirSync(join(a, CONFIG_FILE));
    expect(refusal(() => loadConfig(a)).code).toBe('bad-config');
    const b = mkdtempSync(join(tmpdir(), 'as-config-codes-'));
    writeFileSync(join(b, CONFIG_FILE), 'xyz secret');
    const bad = refusal(() => loadConfig(b));
    expect(bad.code).toBe('bad-config');
    // V8 quotes the file after the reason: dropped, only the reason stays
    expect(bad.message).toMatch(new RegExp(`^${CONFIG_FILE} is not valid JSON: Unexpected token`));
    expect(bad.message).not.toMatch(/secret|"/);
    writeFileSync(join(b, CONFIG_FILE), '[]');
    expect(refusal(() => loadConfig(b)).code).toBe('bad-config');
    writeFileSync(join(b, 'package.json'), '{"agentSessions":{}}');
    expect(refusal(() => loadConfig(b)).code).toBe('bad-config');
  });

  it('a colon or "./" inside a name is not a drive or a leading "./"', () => {
    expect(validateConfig({ paths: { sessions: 'dir/x:y', knowledge: 'a./b' } }, 'c').paths).toMatchObject({ sessions: 'dir/x:y', knowledge: 'a./b' });
    expect(validateConfig({ paths: { sessions: './s/', knowledge: 'k//' } }, 'c').paths).toMatchObject({ sessions: 's', knowledge: 'k' });
  });

  it('no spelling of .git is a path of ours (case-insensitive and Windows checkouts)', () => {
    for (const lockFile of ['.git/x', '.GIT/config', 'a/.Git./x', 'GIT~1/config', 'a/.git /x', 'git~12']) {
      expect(refusal(() => validateConfig({ paths: { lockFile } }, 'c')).message, lockFile).toBe('c: paths.lockFile: must stay inside the repository (no "..", no ".git")');
    }
    expect(validateConfig({ paths: { lockFile: 'a/.github/x', knowledge: 'git~x/.gitk' } }, 'c').paths).toMatchObject({ lockFile: 'a/.github/x', knowledge: 'git~x/.gitk' });
  });

  it('paths are spelled as git spells them: no "//", no "." segment', () => {
    for (const sessions of ['a//b', 'a/./b', '.', './', 'a/.', '//a']) {
      expect(refusal(() => validateConfig({ paths: { sessions } }, 'c')).message, sessions).toMatch(/^c: paths\.sessions: must (be written as git writes paths \(no "\/\/", no "\." segment\)|be relative to the repository root)$/);
    }
  });

  it('the four folders are separate: none inside another, none the same', () => {
    const nested = refusal(() => validateConfig({ paths: { knowledge: '_AGENTS/sessions/kb' } }, 'c'));
    expect(nested.message).toBe('c: paths.knowledge (_AGENTS/sessions/kb) is inside paths.sessions (_AGENTS/sessions)');
    expect(nested.fix).toBe('give paths.knowledge a folder of its own, outside paths.sessions');
    expect(nested.code).toBe('bad-config');
    expect(refusal(() => validateConfig({ paths: { sessions: 'work', worktrees: 'work' } }, 'c')).message).toBe('c: paths.sessions (work) is the same folder as paths.worktrees (work)');
    expect(refusal(() => validateConfig({ paths: { sessions: '.sessions/s' } }, 'c')).message).toBe('c: paths.sessions (.sessions/s) is inside paths.clones (.sessions)');
    expect(refusal(() => validateConfig({ paths: { clones: '.worktrees/c' } }, 'c')).message).toBe('c: paths.clones (.worktrees/c) is inside paths.worktrees (.worktrees)');
    // a shared prefix is not nesting; the lock file may live in the sessions folder
    expect(validateConfig({ paths: { sessions: 'x/s', knowledge: 'x/s-kb', lockFile: 'x/s/lock' } }, 'c').paths).toMatchObject({ sessions: 'x/s', knowledge: 'x/s-kb' });
  });
});
