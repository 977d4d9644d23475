// The hub's first push reads the tip's root and sessions trees ahead (src/policy/read-ahead.ts):
// policyDigest then names the policy paths' objects from them instead of running ls-tree. What
// must hold: for any path, the answer is ls-tree's (an id, or none), whatever the entry is (a
// file, a folder, a link, a submodule, a name that sorts or compares oddly), or "not known"
// (then git is asked), never a different answer.
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { entryReadAhead, rememberObjects } from '../../src/policy/read-ahead.ts';
import { git, tempDir } from '../helpers/repo.ts';

function lsTreeId(cwd: string, rev: string, path: string): string | null {
  const out = git(cwd, 'ls-tree', '-z', rev, '--', path);
  const record = out.split('\0').find((r) => r.slice(r.indexOf('\t') + 1) === path);
  return record ? record.slice(0, record.indexOf('\t')).split(' ')[2]! : null;
}

function repoWithEntries(): { dir: string; tip: string } {
  const dir = tempDir('as-readahead-');
  git(dir, 'init', '-q', '-b', 'main');
  const write = (path: string, text: string) => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  write('agent-sessions.config.json', '{}\n');
  write('package.json', '{"name":"x"}\n');
  write('_AGENTS/sessions/_templates/SESSION.md', '# t\n');
  write('_AGENTS/sessions/_templatesX', 'a file whose name starts like the folder\n');
  write('_AGENTS/sessions/_bi', 'a prefix of _bin\n');
  write('_AGENTS/sessions/sp ace', 'x\n');
  write('_AGENTS/sessions/é', 'x\n');
  write('notes.md/inner', 'a folder named like a file\n');
  symlinkSync('elsewhere', join(dir, '_AGENTS/sessions/_bin'));
  git(dir, 'add', '-A');
  // A submodule entry (gitlink) for a commit this repository does not have.
  git(dir, 'update-index', '--add', '--cacheinfo', `160000,${'1'.repeat(40)},_AGENTS/sessions/_sub`);
  git(dir, '-c', 'user.name=t', '-c', 'user.email=t@example.test', 'commit', '-q', '--no-verify', '-m', 'entries');
  return { dir, tip: git(dir, 'rev-parse', 'HEAD').trim() };
}

/** What `git cat-file --batch` answers for `names`, remembered as the hub remembers it. */
function readAhead(dir: string, names: string[]): void {
  const out = execFileSync('git', ['cat-file', '--batch'], { cwd: dir, input: `${names.join('\n')}\n` });
  const objects = [];
  let at = 0;
  for (let i = 0; i < names.length; i++) {
    const newline = out.indexOf(10, at);
    const [id, type, size] = out.toString('latin1', at, newline).split(' ');
    at = newline + 1;
    if (size === undefined) {
      objects.push(undefined); // "<name> missing"
      continue;
    }
    objects.push({ id: id!, type: type!, content: out.subarray(at, at + Number(size)) });
    at += Number(size) + 1;
  }
  rememberObjects(dir, names, objects);
}

describe('entries of trees read ahead', () => {
  it('name the object ls-tree names, or none, for files, folders, links, submodules and odd names', () => {
    const { dir, tip } = repoWithEntries();
    readAhead(dir, [`${tip}:`, `${tip}:_AGENTS`, `${tip}:_AGENTS/sessions`]);
    const paths = [
      'agent-sessions.config.json',
      'package.json',
      'package.jso',
      'package.json5',
      '_AGENTS',
      '_AGENTS/sessions/_templates',
      '_AGENTS/sessions/_templatesX',
      '_AGENTS/sessions/_templ',
      '_AGENTS/sessions/_bin',
      '_AGENTS/sessions/_bi',
      '_AGENTS/sessions/_sub',
      '_AGENTS/sessions/sp ace',
      '_AGENTS/sessions/é',
      '_AGENTS/sessions/missing',
    ];
    for (const path of paths) expect(entryReadAhead(dir, tip, path), path).toBe(lsTreeId(dir, tip, path));
    // A folder not read ahead, or a path ls-tree would not take literally: git is asked.
    expect(entryReadAhead(dir, tip, '_AGENTS/sessions/_templates/SESSION.md')).toBeUndefined();
    expect(entryReadAhead(dir, tip, '_AGENTS//sessions/_bin')).toBeUndefined();
    expect(entryReadAhead(dir, tip, './package.json')).toBeUndefined();
    expect(entryReadAhead(join(dir, 'other'), tip, 'package.json')).toBeUndefined();
  });

  it('a folder that is a file, missing or a submodule has no entries below it', () => {
    const { dir, tip } = repoWithEntries();
    readAhead(dir, [`${tip}:`, `${tip}:_AGENTS`, `${tip}:_AGENTS/sessions`, `${tip}:package.json`, `${tip}:nothing/here`, `${tip}:_AGENTS/sessions/_sub`, `${tip}:notes.md`]);
    for (const path of ['package.json/x', 'nothing/here/x', '_AGENTS/sessions/_sub/x']) {
      expect(entryReadAhead(dir, tip, path), path).toBeNull();
      expect(lsTreeId(dir, tip, path), path).toBeNull();
    }
    expect(entryReadAhead(dir, tip, 'notes.md/inner')).toBe(lsTreeId(dir, tip, 'notes.md/inner'));
  });

  // Trees no git writes but a push carries as they are (receive-pack checks them only with
  // receive.fsckObjects): ls-tree stops at the first entry sorting after the path, lists a
  // name twice, and never enters a submodule, even one whose id names a tree.
  it('a tree out of order, with a name twice, or a submodule naming a tree: never another answer than ls-tree', () => {
    const dir = tempDir('as-readahead-odd-');
    git(dir, 'init', '-q', '-b', 'main');
    const blob = (text: string) => execFileSync('git', ['hash-object', '-w', '--stdin'], { cwd: dir, input: text }).toString().trim();
    const tree = (entries: [string, string, string][]) => {
      const raw = Buffer.concat(entries.map(([mode, name, id]) => Buffer.concat([Buffer.from(`${mode} ${name}\0`), Buffer.from(id, 'hex')])));
      return execFileSync('git', ['hash-object', '-t', 'tree', '-w', '--literally', '--stdin'], { cwd: dir, input: raw }).toString().trim();
    };
    const valid = blob('{}\n');
    const invalid = blob('{"rules":{"no-such-rule":"error"}}\n');
    const tools = tree([['100644', 'tool.sh', blob('echo hi\n')]]);
    const sessions = tree([['40000', '_bin', tools], ['40000', '_templates', tools]]);
    const roots = {
      'out of order': tree([['100644', 'zzz', valid], ['100644', 'agent-sessions.config.json', invalid], ['100644', 'package.json', valid]]),
      'a name twice': tree([['100644', 'agent-sessions.config.json', valid], ['100644', 'agent-sessions.config.json', invalid]]),
      'a submodule naming a tree': tree([['40000', '_AGENTS', tree([['160000', 'sessions', sessions]])]]),
      'a file and a folder of one name': tree([['100644', '_AGENTS', valid], ['40000', '_AGENTS', tree([['40000', 'sessions', sessions]])]]),
      'out of order below': tree([['40000', '_AGENTS', tree([['100644', 'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz', valid], ['40000', 'sessions', sessions]])]]),
    };
    for (const [name, root] of Object.entries(roots)) {
      const tip = execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.test', 'commit-tree', '-m', name, root], { cwd: dir }).toString().trim();
      readAhead(dir, [`${tip}:`, `${tip}:_AGENTS`, `${tip}:_AGENTS/sessions`]);
      for (const path of ['agent-sessions.config.json', 'package.json', '_AGENTS/sessions/_templates', '_AGENTS/sessions/_bin']) {
        const ahead = entryReadAhead(dir, tip, path);
        if (ahead !== undefined) expect(ahead, `${name}: ${path}`).toBe(lsTreeIdLast(dir, tip, path));
      }
    }
  });
});

/** The id ls-tree names for `path`; with a name listed twice, the last (as idsAt in src/policy/pinned.ts keeps it). */
function lsTreeIdLast(cwd: string, rev: string, path: string): string | null {
  const records = git(cwd, 'ls-tree', '-z', rev, '--', path).split('\0').filter((r) => r.slice(r.indexOf('\t') + 1) === path);
  return records.length ? records[records.length - 1]!.slice(0, records[records.length - 1]!.indexOf('\t')).split(' ')[2]! : null;
}
