import { writeFileSync } from 'node:fs';
import { makeTemp } from '../helpers/temp.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig, loadConfig, validateConfig } from '../../src/config.ts';
import { UsageError } from '../../src/errors.ts';
import { findTransition, TRANSITIONS } from '../../src/states.ts';

const ids = ['message-format', 'staged-scope'];

describe('config', () => {
  it('has the protocol defaults', () => {
    const config = defaultConfig();
    expect(config.paths).toEqual({
      sessions: '_AGENTS/sessions',
      knowledge: '_AGENTS/knowledge',
      worktrees: '.worktrees',
      clones: '.sessions',
      lockFile: '_AGENTS/sessions/sessions.lock',
    });
    expect(config.git).toEqual({ remote: 'origin', mainBranch: 'main', branchPrefix: 'session/', hubMode: 'direct' });
    expect(config.commit.types).toContain('feat');
    expect(config.commit.maintainerPrefix).toBe('maint');
  });

  it('derives the lock file from a custom sessions folder', () => {
    const config = validateConfig({ paths: { sessions: 'work/sessions/' } }, 'x');
    expect(config.paths.sessions).toBe('work/sessions');
    expect(config.paths.lockFile).toBe('work/sessions/sessions.lock');
  });

  it.each([
    [{ bogus: 1 }, 'unknown key "bogus"'],
    [{ paths: { sesions: 'x' } }, 'unknown key "paths.sesions"'],
    [{ paths: { sessions: '../outside' } }, 'paths.sessions'],
    [{ paths: { sessions: '/abs' } }, 'relative'],
    [{ paths: { knowledge: 'a/.git/b' } }, 'inside the repository'],
    [{ git: { mainBranch: '-x' } }, 'git.mainBranch'],
    [{ git: { remote: 'a b' } }, 'git.remote'],
    [{ git: { branchPrefix: 'session' } }, 'end with "/"'],
    [{ commit: { types: [] } }, 'commit.types'],
    [{ commit: { headerMaxLength: 'long' } }, 'commit.headerMaxLength'],
    [{ rules: { 'no-such-rule': 'error' } }, 'unknown rule id "no-such-rule"'],
    [{ rules: { 'message-format': 'loud' } }, 'rules.message-format'],
  ])('refuses %j naming %s', (input, expected) => {
    expect(() => validateConfig(input, 'cfg.json', ids)).toThrow(UsageError);
    try {
      validateConfig(input, 'cfg.json', ids);
    } catch (err) {
      expect((err as Error).message).toContain(expected);
      expect((err as Error).message).toMatch(/^cfg\.json: /);
    }
  });

  it('accepts rule settings as a severity or [severity, options]', () => {
    const config = validateConfig({ rules: { 'message-format': 'warn', 'staged-scope': ['error', { strayPatterns: ['*.log'] }] } }, 'x', ids);
    expect(config.rules['staged-scope']).toEqual(['error', { strayPatterns: ['*.log'] }]);
  });

  it('loads from the config file or package.json, never both', () => {
    const dir = makeTemp('as-config-');
    expect(loadConfig(dir).source).toBe('defaults');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'x', agentSessions: { git: { mainBranch: 'trunk' } } }));
    expect(loadConfig(dir).git.mainBranch).toBe('trunk');
    writeFileSync(join(dir, 'agent-sessions.config.json'), '{}');
    expect(() => loadConfig(dir)).toThrow(/found twice/);
    writeFileSync(join(dir, 'package.json'), '{"name":"x"}');
    writeFileSync(join(dir, 'agent-sessions.config.json'), '{ not json');
    expect(() => loadConfig(dir)).toThrow(/not valid JSON/);
    writeFileSync(join(dir, 'agent-sessions.config.json'), '[]');
    expect(() => loadConfig(dir)).toThrow(/must hold a JSON object/);
  });
});

describe('state machine', () => {
  it('allows exactly the moves of the protocol', () => {
    expect(TRANSITIONS.map((t) => `${t.from}>${t.to}`).sort()).toEqual(
      ['active>abandoned', 'active>completed', 'drafting>abandoned', 'drafting>planned', 'planned>abandoned', 'planned>active', 'planned>drafting'].sort(),
    );
    expect(findTransition('drafting', 'active')).toBeUndefined();
    expect(findTransition('completed', 'active')).toBeUndefined();
    expect(findTransition('planned', 'active')?.verb).toBe('claim');
  });
});
