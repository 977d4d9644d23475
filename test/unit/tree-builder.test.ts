// The tree builder (cat-file + hash-object + mktree, no index) against git's own index as the
// oracle: the same edits applied through a temporary index (read-tree, update-index,
// write-tree) must give the very same tree id, on real repositories.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TreeBuilder, type TreeEdit } from '../../src/hub/tree-builder.ts';
import { git, tempDir } from '../helpers/repo.ts';

const repo = tempDir('as-trees-');
git(repo, 'init', '-q');
const files: Record<string, string> = {
  'README.md': '# x\n',
  'a/planned/s1/SESSION.md': 'one\n',
  'a/planned/s1/notes/deep.md': 'deep\n',
  'a/planned/s2/SESSION.md': 'two\n',
  'a/planned/.gitkeep': '',
  'a/active/.gitkeep': '',
  'a/active/s3/SESSION.md': 'three\n',
  'a/lock': 's3:1\n',
  'ünï/cødé.txt': 'utf8 names\n',
  'only/child.txt': 'alone\n',
};
for (const [path, content] of Object.entries(files)) {
  mkdirSync(join(repo, path, '..'), { recursive: true });
  writeFileSync(join(repo, path), content);
}
writeFileSync(join(repo, 'run.sh'), '#!/bin/sh\n', { mode: 0o755 });
symlinkSync('README.md', join(repo, 'link'));
git(repo, 'add', '-A');
git(repo, '-c', 'user.name=t', '-c', 'user.email=t@x', 'commit', '-q', '-m', 'base');
const base = git(repo, 'rev-parse', 'HEAD^{tree}').trim();

const builder = new TreeBuilder(repo);
afterAll(() => builder.close());

/** The running git processes this test process started (Linux /proc: pid -> parent, name). */
function gitChildren(): Set<number> {
  const out = new Set<number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (comm === 'git' && state !== 'Z' && Number(ppid) === process.pid) out.add(Number(name));
  }
  return out;
}

/** The same edit through a temporary index: the oracle. */
function throughIndex(edit: TreeEdit): string {
  const env = { ...process.env, GIT_INDEX_FILE: join(tempDir('as-index-'), 'index') };
  const run = (args: string[], input?: string) => {
    const r = spawnSync('git', args, { cwd: repo, env, input, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    return r.stdout;
  };
  run(['read-tree', base]);
  const listed = (path: string) =>
    run(['ls-files', '-s', '-z', '--', path])
      .split('\0')
      .filter(Boolean)
      .map((line) => ({ mode: line.split(' ')[0]!, sha: line.split(' ')[1]!, path: line.slice(line.indexOf('\t') + 1) }));
  const lines: string[] = [];
  const zero = '0'.repeat(40);
  const apply = () => {
    if (lines.length) run(['update-index', '-z', '--index-info'], lines.map((l) => `${l}\0`).join(''));
    lines.length = 0;
  };
  for (const move of edit.moves ?? []) {
    for (const e of listed(move.from)) {
      lines.push(`0 ${zero}\t${e.path}`, `${e.mode} ${e.sha}\t${move.to}${e.path.slice(move.from.length)}`);
    }
    apply();
  }
  for (const path of edit.removes ?? []) for (const e of listed(path)) lines.push(`0 ${zero}\t${e.path}`);
  apply();
  for (const w of edit.writes ?? []) {
    const sha = w.sha ?? run(['hash-object', '-w', '--stdin'], String(w.content ?? '')).trim();
    lines.push(`${w.mode ?? '100644'} ${sha}\t${w.path}`);
  }
  apply();
  return run(['write-tree']).trim();
}

const cases: [string, TreeEdit][] = [
  ['a claim: a folder with a subfolder moves, files are added, the lock rewritten', {
    moves: [{ from: 'a/planned/s1', to: 'a/active/s1' }],
    writes: [{ path: 'a/active/s1/.session-env', content: 'export X=1\n' }, { path: 'a/lock', content: 's3:1\ns1:2\n' }],
  }],
  ['a folder moved onto an existing folder merges into it', { moves: [{ from: 'a/planned/s2', to: 'a/active/s3' }] }],
  ['removing the last file of a folder removes the folder', { removes: ['only/child.txt'] }],
  ['removing a whole folder, and a missing path', { removes: ['a/planned', 'no/such/path'] }],
  ['writes into new nested folders, with an executable mode', { writes: [{ path: 'new/deep/er/x.sh', content: '#!/bin/sh\n', mode: '100755' }] }],
  ['names that are not ASCII', { moves: [{ from: 'ünï', to: 'a/ünï-moved' }], writes: [{ path: 'ünï-2/é.md', content: 'é\n' }] }],
  ['a write wins over a moved file', { moves: [{ from: 'a/planned/s1', to: 'a/active/s1' }], writes: [{ path: 'a/active/s1/SESSION.md', content: 'one\nnotes\n' }] }],
  ['symlinks and executables elsewhere stay as they were', { writes: [{ path: 'a/x', content: 'x' }] }],
  ['nothing to do', {}],
];

describe('TreeBuilder.edit', () => {
  for (const [name, edit] of cases) {
    it(`${name}: same tree as through an index`, async () => {
      const clone = (e: TreeEdit): TreeEdit => ({ ...e, ...(e.writes ? { writes: e.writes.map((w) => ({ ...w })) } : {}) });
      const ours = await builder.edit(base, clone(edit));
      expect(ours).toBe(throughIndex(clone(edit)));
    });
  }

  it('serves many edits from the same three processes', async () => {
    const fresh = new TreeBuilder(repo);
    try {
      const before = gitChildren();
      const trees = await Promise.all([1, 2, 3].map((n) => fresh.edit(base, { writes: [{ path: `a/lock`, content: `s${n}:1\n` }] })));
      const started = [...gitChildren()].filter((pid) => !before.has(pid));
      // cat-file, hash-object and mktree: one each, however many edits
      expect(started).toHaveLength(3);
      const more = await Promise.all([4, 5, 6, 7].map((n) => fresh.edit(base, { writes: [{ path: `a/n${n}`, content: `${n}\n` }], moves: [{ from: 'only', to: `m${n}` }] })));
      expect([...gitChildren()].filter((pid) => !before.has(pid)).sort()).toEqual(started.sort());
      expect(new Set([...trees, ...more]).size).toBe(7);
      for (const tree of [...trees, ...more]) expect(git(repo, 'cat-file', '-t', tree).trim()).toBe('tree');
    } finally {
      fresh.close();
    }
  });

  it('sees objects a fetch brought in as a new pack after its processes started', async () => {
    const warm = new TreeBuilder(repo);
    try {
      await warm.edit(base, { writes: [{ path: 'warm', content: 'started\n' }] });
      const other = tempDir('as-trees-other-');
      git(other, 'init', '-q');
      for (let i = 0; i < 5; i++) {
        mkdirSync(join(other, 'pack', String(i)), { recursive: true });
        writeFileSync(join(other, 'pack', String(i), 'f.txt'), `packed ${i}\n`);
      }
      git(other, 'add', '-A');
      git(other, '-c', 'user.name=t', '-c', 'user.email=t@x', 'commit', '-q', '-m', 'other');
      git(repo, '-c', 'fetch.unpackLimit=1', 'fetch', '-q', other, 'HEAD:refs/other');
      const packedTree = git(repo, 'rev-parse', 'refs/other:pack').trim();
      const packedBlob = git(repo, 'rev-parse', 'refs/other:pack/0/f.txt').trim();
      const edit: TreeEdit = { writes: [{ path: 'from-pack/f.txt', sha: packedBlob }], moves: [{ from: 'only', to: 'moved' }] };
      const ours = await warm.edit(`refs/other^{tree}`, { ...edit, writes: edit.writes!.map((w) => ({ ...w })) });
      expect(git(repo, 'rev-parse', `${ours}:pack`).trim()).toBe(packedTree);
      expect(git(repo, 'cat-file', 'blob', `${ours}:from-pack/f.txt`)).toBe('packed 0\n');
    } finally {
      warm.close();
    }
  });
  it("reads through a command's shared reader when given one (no cat-file of its own), with the same result", async () => {
    const { BlobReader } = await import('../../src/engine/blob-reader.ts');
    const blobs = new BlobReader(repo);
    const asked: string[] = [];
    const shared = new TreeBuilder(repo, { objects: (names) => (asked.push(...names), blobs.objects(names)) });
    try {
      const edit: TreeEdit = { moves: [{ from: 'a/planned/s1', to: 'a/active/s1' }], writes: [{ path: 'a/lock', content: 's3:1\ns1:2\n' }] };
      const viaShared = await shared.edit(base, edit);
      expect(viaShared).toBe(await builder.edit(base, { ...edit, writes: edit.writes!.map((w) => ({ ...w })) }));
      expect(asked).toContain(base);
    } finally {
      shared.close();
      blobs.close();
    }
  });
});
