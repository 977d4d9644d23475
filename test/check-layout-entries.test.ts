// `check` reads the entries under the sessions folder through the walk's own cat-file
// (src/check/tree.ts, layoutEntriesVia) instead of an `ls-tree` process: the two must agree
// on every entry, its path and its type, and the check must still tell a state folder that is
// a file or a submodule from a folder.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { layoutEntries, layoutEntriesVia } from '../src/check/tree.ts';
import { defaultConfig } from '../src/config.ts';
import { BlobReader } from '../src/engine/blob-reader.ts';
import { S } from './helpers/history.ts';
import { git, makeRepo, type Repo } from './helpers/repo.ts';
import { spawnSync } from 'node:child_process';

/** A tree object written as given (git's order and names unchecked): `[mode, name, id]`. */
function rawTree(repo: Repo, entries: [string, string, string][]): string {
  const bytes = Buffer.concat(entries.flatMap(([mode, name, id]) => [Buffer.from(`${mode} ${name}\0`), Buffer.from(id, 'hex')]));
  const made = spawnSync('git', ['hash-object', '-t', 'tree', '--literally', '-w', '--stdin'], { cwd: repo.dir, input: bytes, encoding: 'utf8' });
  if (made.status !== 0) throw new Error(made.stderr);
  return made.stdout.trim();
}

/** A commit on HEAD whose root holds `agents` as _AGENTS, the rest as HEAD has it. */
function withAgents(repo: Repo, agents: string): string {
  const rest = repo.git('ls-tree', 'HEAD').split('\n').filter((line) => line && !line.endsWith('\t_AGENTS'));
  const root = spawnSync('git', ['mktree'], { cwd: repo.dir, input: [...rest, `040000 tree ${agents}\t_AGENTS`].join('\n') + '\n', encoding: 'utf8' }).stdout.trim();
  return git(repo.dir, 'commit-tree', root, '-p', 'HEAD', '-m', '[maint] chore: odd layout').trim();
}

/** What each reading gives for `end`: the entries, or the refusal's message. */
async function bothReadings(repo: Repo, end: string, config = defaultConfig()): Promise<unknown[]> {
  const blobs = new BlobReader(repo.dir);
  const settle = async (read: () => Promise<unknown>) => read().catch((err: Error) => err.message);
  try {
    return [await settle(() => layoutEntriesVia(blobs, repo.dir, config, end)), await settle(async () => layoutEntries(repo.dir, config, end))];
  } finally {
    blobs.close();
  }
}

describe('the layout entries of check', () => {
  it('are what ls-tree lists: names with spaces and other scripts, files, folders and a gitlink', async () => {
    const repo = makeRepo();
    const commitId = repo.git('rev-parse', 'HEAD').trim();
    repo.write(`${S}/notes about it.md`, 'x\n');
    repo.write(`${S}/Résumé/ünïcödé.md`, 'x\n');
    repo.git('rm', '-q', '-r', `${S}/abandoned`);
    rmSync(join(repo.dir, S, 'abandoned'), { recursive: true, force: true });
    repo.write(`${S}/abandoned`, 'a file where a state folder was\n');
    repo.git('add', '-A');
    repo.git('update-index', '--add', '--cacheinfo', `160000,${commitId},${S}/zz-module`);
    repo.git('commit', '-q', '--no-verify', '-m', '[maint] chore: odd entries');
    const config = defaultConfig();
    const blobs = new BlobReader(repo.dir);
    try {
      const via = await layoutEntriesVia(blobs, repo.dir, config, 'HEAD');
      expect(via).toEqual(layoutEntries(repo.dir, config, 'HEAD'));
      expect(via).toContainEqual({ path: `${S}/abandoned`, type: 'blob' });
      expect(via).toContainEqual({ path: `${S}/zz-module`, type: 'commit' });
      expect(via).toContainEqual({ path: `${S}/Résumé`, type: 'tree' });
      expect(via).toContainEqual({ path: `${S}/notes about it.md`, type: 'blob' });
    } finally {
      blobs.close();
    }
    const checked = repo.cli(['check', '--range', 'HEAD~1..HEAD', '--json']);
    expect(checked.json?.violations.map((v: { message: string }) => v.message)).toContain(`state folder ${S}/abandoned is a file or link, not a folder`);
  });

  it("answer as ls-tree does where there is no layout (the check's exit 2)", async () => {
    const repo = makeRepo({ init: false, link: false });
    const blobs = new BlobReader(repo.dir);
    try {
      await expect(layoutEntriesVia(blobs, repo.dir, defaultConfig(), 'HEAD')).rejects.toThrow(/has not adopted agent-sessions/);
    } finally {
      blobs.close();
    }
  });

  it('are what ls-tree lists where an entry on the way is not a plain folder, or a name is there twice (found by review)', async () => {
    const repo = makeRepo();
    const sessions = repo.git('rev-parse', `HEAD:${S}`).trim();
    const knowledge = repo.git('rev-parse', 'HEAD:_AGENTS/knowledge').trim();
    const lock = repo.git('rev-parse', `HEAD:${S}/sessions.lock`).trim();
    const junk = rawTree(repo, [['100644', 'junk', lock]]);
    const shapes = {
      'a submodule entry naming the sessions tree': [['40000', 'knowledge', knowledge], ['160000', 'sessions', sessions]],
      'a file entry naming it': [['40000', 'knowledge', knowledge], ['100644', 'sessions', sessions]],
      'two folders named sessions, the first a decoy': [['40000', 'knowledge', knowledge], ['40000', 'sessions', junk], ['40000', 'sessions', sessions]],
      'two folders named sessions, the real one first': [['40000', 'knowledge', knowledge], ['40000', 'sessions', sessions], ['40000', 'sessions', junk]],
    } as Record<string, [string, string, string][]>;
    for (const [shape, entries] of Object.entries(shapes)) {
      const [via, listed] = await bothReadings(repo, withAgents(repo, rawTree(repo, entries)));
      expect(via, shape).toEqual(listed);
    }
  });

  it('answer at once where the sessions folder has a space in its name and is missing (it hung, found by review)', async () => {
    const repo = makeRepo({ init: false, link: false });
    const base = defaultConfig();
    const [via, listed] = await bothReadings(repo, 'HEAD', { ...base, paths: { ...base.paths, sessions: 'AI sessions' } });
    expect(via).toMatch(/has not adopted agent-sessions/);
    expect(via).toEqual(listed);
  }, 20_000);
});
