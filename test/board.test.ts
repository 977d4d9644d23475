// BOARD.md on a real repository: tables per state, the mermaid chart with counts, byte-stable
// output, and `board --check` failing (exit 1) once the sessions move on.
import { describe, expect, it } from 'vitest';
import { makeRepo } from './helpers/repo.ts';

describe('board', () => {
  it('writes one table per state and a mermaid chart; --check follows the sessions', () => {
    const repo = makeRepo();
    expect(repo.cli(['new', 'fix the parser', '--title', 'Fix | the parser', '--criteria', 'parses']).code).toBe(0);
    expect(repo.cli(['new', 'add a cache', '--criteria', 'fast']).code).toBe(0);
    const slugs = repo.cli(['status', '--json']).json.sessions.map((s: { slug: string }) => s.slug) as string[];
    const parser = slugs.find((s) => s.endsWith('fix-the-parser'))!;
    expect(repo.cli(['ready', parser]).code).toBe(0);

    const first = repo.cli(['board', '--json']);
    expect(first.code).toBe(0);
    expect(first.json).toMatchObject({ ok: true, changed: true, path: '_AGENTS/sessions/BOARD.md' });
    const text = repo.read('_AGENTS/sessions/BOARD.md');
    expect(text).toContain('```mermaid');
    expect(text).toContain('drafting["drafting (1)"]');
    expect(text).toContain('planned["planned (1)"]');
    expect(text).toContain('planned -->|claim| active');
    expect(text).toMatch(/## planned \(1\)\n\n\| slug \| title \| holder \| age \| last commit \|/);
    expect(text).toContain(`| \`${parser}\` | Fix \\| the parser |`);
    const readyCommit = repo.git('rev-parse', '--short=10', 'HEAD').trim();
    expect(text).toContain(`\`${readyCommit}\``);
    expect(text).toContain('## active (0)\n\n_none_');

    // Same input, same bytes; --check passes on a fresh board.
    expect(repo.cli(['board']).stdout).toMatch(/already up to date/);
    expect(repo.read('_AGENTS/sessions/BOARD.md')).toBe(text);
    expect(repo.commit('[maint] docs: update the sessions board', ['_AGENTS/sessions/BOARD.md']).status).toBe(0); // hooks on: the board is no protocol breach
    expect(repo.cli(['board', '--check']).code).toBe(0);

    // A new session makes the committed board stale; --check says so and writes nothing.
    expect(repo.cli(['new', 'third thing']).code).toBe(0);
    const check = repo.cli(['board', '--check']);
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/out of date[\s\S]*fix: run `agent-sessions board`/);
    expect(repo.read('_AGENTS/sessions/BOARD.md')).toBe(text);
    expect(repo.cli(['board']).code).toBe(0);
    expect(repo.cli(['board', '--check']).code).toBe(0);
  });

  it('refuses a repository without the layout (exit 2)', () => {
    const repo = makeRepo({ init: false });
    const r = repo.cli(['board']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/fix: run `agent-sessions init`/);
  });
});
