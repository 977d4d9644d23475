// Trees no git writes (entries out of order, a name twice...) reach a hub as they are unless it
// sets receive.fsckObjects, and git's readers disagree on them: the hub validated one
// agent-sessions.config.json while every checkout loads the other. The hub's pre-receive
// refuses a new main whose trees it reads policy and sessions from are not well formed
// (src/policy/tree-form.ts); trees elsewhere, and such trees main held before, pass as ever.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { listTree, parseTree } from '../src/policy/tree-form.ts';
import { pinnedHub, push, pusher } from './helpers/hub.ts';
import { ACTIVE, alice } from './helpers/history.ts';
import { git, type Repo } from './helpers/repo.ts';

type Entry = [mode: string, name: string, id: string];
const raw = (entries: Entry[]) => Buffer.concat(entries.map(([mode, name, id]) => Buffer.concat([Buffer.from(`${mode} ${name}\0`), Buffer.from(id, 'hex')])));
const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

describe('parseTree', () => {
  it('reads a tree git writes, folders ordered as "<name>/"', () => {
    const parsed = parseTree(raw([['100644', 'a', A], ['100644', 'a.b', B], ['40000', 'b', B]]), 20);
    expect(parsed).toEqual({ entries: [{ name: 'a', raw: 'a', id: A, folder: false, mode: '100644' }, { name: 'a.b', raw: 'a.b', id: B, folder: false, mode: '100644' }, { name: 'b', raw: 'b', id: B, folder: true, mode: '40000' }] });
    // "a.b" sorts before the folder "a" ("a/"), which sorts before "a0".
    expect(parseTree(raw([['100644', 'a.b', A], ['40000', 'a', B], ['100644', 'a0', A]]), 20)).toHaveProperty('entries');
  });

  it('names what no git writes', () => {
    const cases: [string, Entry[]][] = [
      ["entries out of git's order", [['100644', 'b', A], ['100644', 'a', A]]],
      ["entries out of git's order", [['40000', 'a', A], ['100644', 'a.b', A]]],
      ['the name "x" twice', [['100644', 'x', A], ['100644', 'x', B]]],
      ['the name "x" twice', [['100644', 'x', A], ['40000', 'x', B]]],
      ['an empty name', [['100644', '', A]]],
      ['a name with "/"', [['100644', 'a/b', A]]],
      ['the name ".git"', [['40000', '.git', A]]],
      ['the name ".GIT"', [['40000', '.GIT', A]]],
      ['the name ".."', [['40000', '..', A]]],
      ['a mode git does not write ("10064x")', [['10064x', 'a', A]]],
      ['a mode git does not write ("100600")', [['100600', 'a', A]]],
      // 26 digits that git reads, wrapping in 32 bits, as a folder's 040000 (adversarial review).
      ['a mode git does not write', [[`1${'0'.repeat(20)}40000`, 'a', A]]],
    ];
    for (const [problem, entries] of cases) {
      const parsed = parseTree(raw(entries), 20);
      expect('problem' in parsed && parsed.problem, JSON.stringify(entries)).toContain(problem);
    }
    expect(parseTree(Buffer.concat([raw([['100644', 'a', A]]), Buffer.from('100644 b\0abc')]), 20)).toEqual({ problem: 'an entry that cannot be read' });
    // Old gits wrote these; git reads them still.
    expect(parseTree(raw([['040000', 'a', A], ['100664', 'b', B]]), 20)).toHaveProperty('entries');
  });

  it('listTree lists any tree as git does, a wrapping mode a folder', () => {
    const entries = listTree(raw([['100644', 'b', A], [`1${'0'.repeat(20)}40000`, 'a', B], ['100644', 'b', B]]), 20);
    expect(entries.map((e) => [e.name, e.folder])).toEqual([['b', false], ['a', true], ['b', false]]);
  });
});

/** Writes `entries` as a tree object exactly as given (no sorting, no checks). */
function writeTree(repo: Repo, entries: Entry[]): string {
  return execFileSync('git', ['hash-object', '-t', 'tree', '-w', '--literally', '--stdin'], { cwd: repo.dir, input: raw(entries) }).toString().trim();
}

function entriesOf(repo: Repo, treeish: string): Entry[] {
  return git(repo.dir, 'ls-tree', '-z', treeish)
    .split('\0')
    .filter(Boolean)
    .map((record) => {
      const [mode, , id] = record.slice(0, record.indexOf('\t')).split(' ');
      return [mode === '040000' ? '40000' : mode!, record.slice(record.indexOf('\t') + 1), id!];
    });
}

/** HEAD's tree with the tree at `path` changed by `change`, every tree above it rewritten in its own order. */
function treeWith(repo: Repo, path: string, change: (entries: Entry[]) => Entry[]): string {
  const rewrite = (treeish: string, parts: string[]): string => {
    const entries = entriesOf(repo, treeish);
    if (parts.length === 0) return writeTree(repo, change(entries));
    const [name, ...rest] = parts;
    return writeTree(repo, entries.map(([mode, entry, id]) => [mode, entry, entry === name ? rewrite(id, rest) : id]));
  };
  return rewrite('HEAD^{tree}', path === '' ? [] : path.split('/'));
}

function commitTree(repo: Repo, tree: string, message: string): string {
  const env = { ...process.env, GIT_AUTHOR_NAME: alice.name, GIT_AUTHOR_EMAIL: alice.email, GIT_COMMITTER_NAME: alice.name, GIT_COMMITTER_EMAIL: alice.email };
  return execFileSync('git', ['commit-tree', '-p', 'HEAD', '-m', message, tree], { cwd: repo.dir, env }).toString().trim();
}

const blob = (repo: Repo, text: string) => execFileSync('git', ['hash-object', '-w', '--stdin'], { cwd: repo.dir, input: text }).toString().trim();

describe('the hub refuses a main whose policy or session trees no git writes', () => {
  it('a root tree with the config twice (one valid, one not) is refused; main stays', () => {
    const hub = pinnedHub();
    const agent = pusher(hub);
    const before = git(hub, 'rev-parse', 'main').trim();
    const invalid = blob(agent, '{"rules":{"no-such-rule":"error"}}\n');
    const valid = blob(agent, '{}\n');
    const tree = treeWith(agent, '', (entries) => [...entries.filter(([, name]) => name < 'agent-sessions.config.json'), ['100644', 'agent-sessions.config.json', valid], ['100644', 'agent-sessions.config.json', invalid], ...entries.filter(([, name]) => name > 'agent-sessions.config.json')]);
    const tip = commitTree(agent, tree, '[maint] chore: two configs');
    const pushed = push(agent, `${tip}:refs/heads/main`);
    expect(pushed.status).toBe(1);
    expect(pushed.stderr).toContain(`push to refs/heads/main refused: the root tree of ${tip.slice(0, 12)}: a tree no git writes: the name "agent-sessions.config.json" twice`);
    expect(pushed.stderr).toContain('fix: `git fsck` in your clone names the tree');
    expect(pushed.stderr).toContain('a checkout would write other than what the hub judged');
    expect(git(hub, 'rev-parse', 'main').trim()).toBe(before);
  }, 120_000);

  it("a session folder listed twice in a state folder is refused, naming that folder", () => {
    const hub = pinnedHub();
    const agent = pusher(hub);
    const state = '_AGENTS/sessions/active';
    const tree = treeWith(agent, state, (entries) => {
      const own = entries.find(([, name]) => name === ACTIVE)!;
      return [...entries, own];
    });
    const tip = commitTree(agent, tree, `[${ACTIVE}] docs: twice`);
    const pushed = push(agent, `${tip}:refs/heads/main`);
    expect(pushed.status).toBe(1);
    expect(pushed.stderr).toContain(`the tree ${state}/ of ${tip.slice(0, 12)}: a tree no git writes: the name "${ACTIVE}" twice`);
  }, 120_000);

  it('the config as a symbolic link or a submodule is refused: a checkout writes no file there', () => {
    const hub = pinnedHub();
    const agent = pusher(hub);
    const valid = blob(agent, '{}\n');
    for (const [mode, what] of [['120000', 'a symbolic link'], ['160000', 'a submodule']] as const) {
      const tree = treeWith(agent, '', (entries) => entries.map(([m, name, id]) => (name === 'agent-sessions.config.json' ? [mode, name, valid] : [m, name, id])));
      const tip = commitTree(agent, tree, '[maint] chore: a config elsewhere');
      const pushed = push(agent, `${tip}:refs/heads/main`);
      expect(pushed.status, what).toBe(1);
      expect(pushed.stderr, what).toContain(`the root tree of ${tip.slice(0, 12)}: agent-sessions.config.json is ${what}, not a file`);
    }
  }, 120_000);

  it('a main that held such a tree already takes a teammate\'s commit that keeps it (git reuses the tree as it is)', () => {
    const hub = pinnedHub();
    const agent = pusher(hub);
    const odd = commitTree(agent, treeWith(agent, '_AGENTS', (entries) => [...entries].reverse()), '[maint] chore: from before the hook');
    expect(push(agent, `${odd}:refs/heads/from-before`).status).toBe(0);
    git(hub, 'update-ref', 'refs/heads/main', odd); // as an admin moved it, or as it was before the hook
    git(agent.dir, 'fetch', '-q', 'origin');
    git(agent.dir, 'reset', '-q', '--hard', 'origin/main');
    agent.write('src/x.txt', 'x\n');
    git(agent.dir, 'add', 'src/x.txt');
    git(agent.dir, '-c', `user.name=${alice.name}`, '-c', `user.email=${alice.email}`, 'commit', '-q', '--no-verify', '-m', '[maint] chore: a file');
    expect(git(agent.dir, 'rev-parse', 'HEAD:_AGENTS').trim()).toBe(git(agent.dir, 'rev-parse', `${odd}:_AGENTS`).trim());
    const pushed = push(agent);
    expect(pushed.stderr).not.toContain('a checkout would write other');
    expect(pushed.status, pushed.stderr).toBe(0);
  }, 120_000);

  it("a file entry naming a tag (of the pinned config) is refused: the hub's readers follow it, a checkout writes nothing", () => {
    const hub = pinnedHub();
    const agent = pusher(hub);
    const config = git(agent.dir, 'rev-parse', 'HEAD:agent-sessions.config.json').trim();
    git(agent.dir, '-c', `user.name=${alice.name}`, '-c', `user.email=${alice.email}`, 'tag', '-a', '-m', 'the config', 'config-tag', config);
    const tag = git(agent.dir, 'rev-parse', 'config-tag').trim();
    const tree = treeWith(agent, '', (entries) => entries.map(([mode, name, id]) => [mode, name, name === 'agent-sessions.config.json' ? tag : id]));
    const tip = commitTree(agent, tree, '[maint] chore: a tagged config');
    const pushed = push(agent, `${tip}:refs/heads/main`);
    expect(pushed.status).toBe(1);
    expect(pushed.stderr).toContain(`the root tree of ${tip.slice(0, 12)}: agent-sessions.config.json names a tag, not a file's content`);
  }, 120_000);

  it('a config beside package.json\'s "agentSessions" key is refused, as every command refuses it', () => {
    const hub = pinnedHub();
    const agent = pusher(hub);
    agent.write('package.json', '{"name":"x","agentSessions":{}}\n');
    git(agent.dir, 'add', 'package.json');
    git(agent.dir, '-c', `user.name=${alice.name}`, '-c', `user.email=${alice.email}`, 'commit', '-q', '--no-verify', '-m', '[maint] chore: a package');
    const pushed = push(agent);
    expect(pushed.status).toBe(1);
    expect(pushed.stderr).toContain('configuration found twice: agent-sessions.config.json and the "agentSessions" key of package.json');
  }, 120_000);

  it('a .gitattributes that re-encodes the config on checkout is refused; line endings pass', () => {
    const hub = pinnedHub();
    const agent = pusher(hub);
    const commit = (text: string, message: string) => {
      agent.write('.gitattributes', text);
      git(agent.dir, 'add', '.gitattributes');
      git(agent.dir, '-c', `user.name=${alice.name}`, '-c', `user.email=${alice.email}`, 'commit', '-q', '--no-verify', '-m', message);
    };
    commit('agent-sessions.config.json working-tree-encoding=UTF-16LE-BOM\n', '[maint] chore: attributes');
    const refused = push(agent);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('the root tree of');
    expect(refused.stderr).toContain('.gitattributes: it sets working-tree-encoding for "agent-sessions.config.json"');
    git(agent.dir, 'reset', '-q', '--hard', 'origin/main');
    commit('* text=auto eol=lf\n*.ps1 working-tree-encoding=UTF-16LE\n', '[maint] chore: line endings');
    const accepted = push(agent);
    expect(accepted.status, accepted.stderr).toBe(0);
  }, 120_000);

  it("trees out of order elsewhere (a team's own folders) pass, as git itself lets them", () => {
    const hub = pinnedHub();
    const agent = pusher(hub);
    const odd = writeTree(agent, [['100644', 'b.txt', blob(agent, 'b\n')], ['100644', 'a.txt', blob(agent, 'a\n')]]);
    const tree = treeWith(agent, '', (entries) => [...entries, ['40000', 'zz-vendor', odd]]);
    const tip = commitTree(agent, tree, '[maint] chore: vendored files');
    const pushed = push(agent, `${tip}:refs/heads/main`);
    expect(pushed.stderr).not.toContain('a checkout would write other');
    expect(pushed.status, pushed.stderr).toBe(0);
  }, 120_000);
});
