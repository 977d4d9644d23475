// The history rules read a few path shapes by position instead of through classifyPath or
// isPolicyPath, and a message's [prefix] without a regex match (a history check meets them in
// thousands of commits). These properties hold
// the shortcuts to the classifiers they stand for, over paths built from the layout's own
// parts (state folders, slugs and near-slugs, SESSION.md, _templates/_bin, the lock file)
// and configs whose folders nest inside one another.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultConfig, type Config } from '../../src/config.ts';
import { classifyPath, isSessionMd } from '../../src/engine/paths.ts';
import { slugPrefixOf } from '../../src/message/header.ts';
import { isPolicyPath } from '../../src/policy/paths.ts';
import { mayBePolicy } from '../../rules/policy-files.ts';
import { sessionMdSlug } from '../../rules/session-md-readonly.ts';
import { runs } from './runs.ts';

const segment = fc.constantFrom('drafting', 'planned', 'active', 'completed', 'abandoned', 'Active', 'weird', '', '2025-01-02-a', 'kb-2025-01-04-k', '2025-02-30-x', 'Bad Name', 'SESSION.md', 'session.md', '_templates', '_bin', '_binx', '.gitkeep', 'sessions.lock', 'x');
const root = fc.constantFrom('_AGENTS/sessions', '_AGENTS', 'agent-sessions.config.json', 'package.json', 'src', '_AGENTS/sessionsX', '_AGENTS/knowledge', '.worktrees', '');
// Mostly <root>/<state>/<slug>/<file> from small pools (every combination comes up), else anything.
const shaped = fc
  .tuple(fc.constantFrom('_AGENTS/sessions', '_AGENTS', '_AGENTS/sessionsX'), fc.constantFrom('active', 'completed', 'weird', '_bin'), fc.constantFrom('2025-01-02-a', 'kb-2025-01-04-k', 'Bad Name', 'x/y'), fc.constantFrom('SESSION.md', 'session.md', 'x', ''))
  .map((parts) => parts.join('/'));
const path = fc.oneof(shaped, fc.tuple(root, fc.array(segment, { maxLength: 4 })).map(([r, rest]) => [r, ...rest].join('/')));
const config = fc.constantFrom<(c: Config) => void>(
  () => {},
  (c) => (c.paths.worktrees = `${c.paths.sessions}/active`),
  (c) => (c.paths.clones = `${c.paths.sessions}/completed/2025-01-02-a`),
  (c) => (c.paths.lockFile = `${c.paths.sessions}/active/2025-01-02-a/SESSION.md`),
  (c) => (c.paths.sessions = '_AGENTS'),
);

describe('path shortcuts of the history rules (property)', () => {
  it("session-md-readonly's SESSION.md slug is classifyPath's", () => {
    fc.assert(
      fc.property(path, config, (p, edit) => {
        const c = defaultConfig();
        edit(c);
        const classified = classifyPath(p, c);
        expect(sessionMdSlug(p, c), p).toBe(isSessionMd(classified) ? classified.slug : undefined);
      }),
      runs(3000),
    );
  });

  it("policy-files' cheap test passes every policy path", () => {
    fc.assert(
      fc.property(path, config, (p, edit) => {
        const c = defaultConfig();
        edit(c);
        if (isPolicyPath(p, c)) expect(mayBePolicy(p, c.paths.sessions), p).toBe(true);
      }),
      runs(3000),
    );
  });

  it('a few shapes by hand', () => {
    const c = defaultConfig();
    const s = c.paths.sessions;
    expect(sessionMdSlug(`${s}/active/2025-01-02-a/SESSION.md`, c)).toBe('2025-01-02-a');
    expect(sessionMdSlug(`${s}/active/2025-01-02-a/x/SESSION.md`, c)).toBeUndefined();
    expect(sessionMdSlug(`${s}/active/SESSION.md`, c)).toBeUndefined();
    expect(sessionMdSlug(`${s}/other/2025-01-02-a/SESSION.md`, c)).toBeUndefined();
    expect(sessionMdSlug(`${s}/active/Bad/SESSION.md`, c)).toBeUndefined();
    expect(sessionMdSlug(`${s}X/active/2025-01-02-a/SESSION.md`, c)).toBeUndefined();
    expect(sessionMdSlug(undefined, c)).toBeUndefined();
    expect(mayBePolicy(`${s}/_bin/x`, s)).toBe(true);
    expect(mayBePolicy(`${s}/_x`, s)).toBe(true);
    expect(mayBePolicy(`${s}/active/_bin`, s)).toBe(false);
    expect(mayBePolicy(`${s}X_bin`, s)).toBe(false);
    expect(mayBePolicy(`x${s.slice(1)}/_bin`, s)).toBe(false);
    expect(mayBePolicy('agent-sessions.config.json', s)).toBe(true);
    expect(mayBePolicy('package.json', s)).toBe(false);
  });
});

describe('slugPrefixOf (property)', () => {
  it('is the [name] the regex /^\\[([^\\]\\s]+)\\]/ reads', () => {
    const char = fc.constantFrom('[', ']', 'a', '-', '1', ' ', '\t', '\n', '\r', '\u00a0', '\u2028', '\ufeff', 'é');
    fc.assert(
      fc.property(fc.array(char, { maxLength: 12 }).map((cs) => cs.join('')), (message) => {
        expect(slugPrefixOf(message), JSON.stringify(message)).toBe(/^\[([^\]\s]+)\]/.exec(message)?.[1]);
      }),
      runs(3000),
    );
  });
});
