import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRepo, snapshotTree } from './helpers/repo.ts';

function today(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

describe('new / ready / unready / status', () => {
  it('drafts from words, readies, unreadies, each as one commit', () => {
    const repo = makeRepo();
    // The CLI reads the clock itself: the day before and after the call bound its date (the
    // two differ only when the call straddles midnight).
    const dayBefore = today();
    const created = repo.cli(['new', 'Auth', 'system', '--criteria', 'users can log in', '--criteria', 'tokens expire', '--context', 'we have none', '--json']);
    const dayAfter = today();
    expect(created.code, created.stderr).toBe(0);
    const slug: string = created.json.slug;
    expect([`${dayBefore}-auth-system`, `${dayAfter}-auth-system`]).toContain(slug);
    expect(created.json).toMatchObject({ ok: true, slug, state: 'drafting' });
    const md = repo.read(`_AGENTS/sessions/drafting/${slug}/SESSION.md`);
    expect(md).toContain('- [ ] users can log in');
    expect(md).toContain('we have none');
    expect(md).toContain(`slug: ${slug}`);
    expect(repo.git('log', '-1', '--format=%s')).toBe(`[${slug}] docs: draft session ${slug}\n`);

    const ready = repo.cli(['ready', slug, '--json']);
    expect(ready.code, ready.stderr).toBe(0);
    expect(repo.exists(`_AGENTS/sessions/planned/${slug}/SESSION.md`)).toBe(true);
    expect(repo.exists(`_AGENTS/sessions/drafting/${slug}`)).toBe(false);
    expect(repo.git('status', '--porcelain')).toBe('');
    expect(repo.git('show', '--stat', '--format=%s', 'HEAD')).toContain('chore: ready session (drafting -> planned)');

    const status = repo.cli(['status', '--json']);
    expect(status.json.sessions).toEqual([expect.objectContaining({ slug, state: 'planned', title: 'Auth system' })]);
    expect(status.json.counts.planned).toBe(1);

    expect(repo.cli(['unready', slug]).code).toBe(0);
    expect(repo.exists(`_AGENTS/sessions/drafting/${slug}/SESSION.md`)).toBe(true);
    expect(repo.cli(['status', '--state', 'drafting', '--json']).json.sessions).toHaveLength(1);
    expect(repo.cli(['list', '--state', 'planned', '--json']).json.sessions).toHaveLength(0);
  });

  it('does not sweep other staged changes into a planning commit', () => {
    const repo = makeRepo();
    repo.write('unrelated.txt', 'x\n');
    repo.git('add', 'unrelated.txt');
    const result = repo.cli(['new', '2025-10-14-scoped', '--criteria', 'c']);
    expect(result.code, result.stderr).toBe(0);
    expect(repo.git('show', '--name-only', '--format=', 'HEAD').trim()).toBe('_AGENTS/sessions/drafting/2025-10-14-scoped/SESSION.md');
    expect(repo.git('diff', '--cached', '--name-only').trim()).toBe('unrelated.txt');
  });

  it('ready refuses a SESSION.md without acceptance criteria and changes nothing', () => {
    const repo = makeRepo();
    expect(repo.cli(['new', '2025-10-14-empty']).code).toBe(0);
    const before = snapshotTree(repo.dir);
    const result = repo.cli(['ready', '2025-10-14-empty']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no acceptance criteria');
    expect(result.stderr).toContain('fix:');
    expect(snapshotTree(repo.dir)).toEqual(before);
  });

  it('refuses bad slugs with exit 2 and one line, changing nothing', () => {
    const repo = makeRepo();
    const before = snapshotTree(repo.dir);
    for (const bad of ['../x', 'a b', '$(touch x)', '', '2025-02-30-x', '2025-10-14-UPPER']) {
      for (const verb of ['ready', 'unready']) {
        const result = repo.cli([verb, bad]);
        expect(result.code, `${verb} ${JSON.stringify(bad)}`).toBe(2);
        expect(result.stderr.trim().split('\n')[0]).toMatch(/invalid session slug|usage/);
      }
    }
    expect(repo.cli(['ready', '-rf']).code).toBe(2);
    expect(repo.cli(['new', '']).code).toBe(2);
    expect(repo.cli(['new', '!!!']).code).toBe(2);
    expect(repo.cli(['new', '2025-02-30-impossible']).code).toBe(2);
    expect(snapshotTree(repo.dir)).toEqual(before);
    expect(repo.exists('x')).toBe(false);
  });

  it('refuses a duplicate session and an unknown one', () => {
    const repo = makeRepo();
    expect(repo.cli(['new', '2025-10-14-dup', '--criteria', 'c']).code).toBe(0);
    const dup = repo.cli(['new', '2025-10-14-dup', '--json']);
    expect(dup.code).toBe(1);
    expect(dup.json.error.code).toBe('session-exists');
    const missing = repo.cli(['ready', '2025-10-14-nope', '--json']);
    expect(missing.code).toBe(2);
    expect(missing.json.error.code).toBe('no-such-session');
    const wrong = repo.cli(['unready', '2025-10-14-dup', '--json']);
    expect(wrong.code).toBe(2);
    expect(wrong.json.error.code).toBe('wrong-state');
  });

  it('reads a spec file and refuses unknown keys in it', () => {
    const repo = makeRepo();
    writeFileSync(join(repo.dir, 'spec.yaml'), 'title: From spec\ncriteria:\n  - first\n  - second\nrisks: none\n');
    const ok = repo.cli(['new', '2025-10-14-spec', '--from', 'spec.yaml', '--no-commit']);
    expect(ok.code, ok.stderr).toBe(0);
    const md = repo.read('_AGENTS/sessions/drafting/2025-10-14-spec/SESSION.md');
    expect(md).toContain('# Session: From spec');
    expect(md).toContain('- [ ] second');
    writeFileSync(join(repo.dir, 'bad.json'), '{"titel": "x"}');
    const bad = repo.cli(['new', 'other words', '--from', 'bad.json']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown key "titel"');
  });

  it('uses a template override and names the file and line of a template error', () => {
    const repo = makeRepo();
    repo.write('_AGENTS/sessions/_templates/SESSION.md.j2', '# Custom {{ TITLE }}\n\n## Acceptance Criteria\n{% for c in ACCEPTANCE_CRITERIA %}- {{ c }}\n{% endfor %}');
    expect(repo.cli(['new', '2025-10-14-custom', '--criteria', 'works']).code).toBe(0);
    expect(repo.read('_AGENTS/sessions/drafting/2025-10-14-custom/SESSION.md')).toBe('# Custom custom\n\n## Acceptance Criteria\n- works\n');
    repo.write('_AGENTS/sessions/_templates/SESSION.md.j2', 'line one\nline two {% if %}\n');
    const before = snapshotTree(repo.dir);
    const broken = repo.cli(['new', '2025-10-14-broken']);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/_templates\/SESSION\.md\.j2 line 2/);
    expect(snapshotTree(repo.dir)).toEqual(before);
  });

  it('status reports a malformed lock file with its line number (exit 2) and lock/active disagreements', () => {
    const repo = makeRepo();
    repo.write('_AGENTS/sessions/sessions.lock', '2025-10-14-a:1\ngarbage\n');
    const bad = repo.cli(['status']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('sessions.lock line 2');
    repo.write('_AGENTS/sessions/sessions.lock', '2025-10-14-ghost:1700000000\n');
    const ok = repo.cli(['status', '--json']);
    expect(ok.code).toBe(0);
    expect(ok.json.problems).toEqual([expect.stringContaining('2025-10-14-ghost, which is not in active/')]);
  });
});
