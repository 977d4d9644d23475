// Shared harness for the hostile-input tables: every case is run through the real CLI (or a
// real git hook) and must be refused with its documented exit code and one clear line, while
// the work tree, the index, HEAD, the lock file and the hub stay byte-identical.
import { existsSync, lstatSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import { git, snapshotTree, type CliResult, type Repo } from '../helpers/repo.ts';

/** A file a marker-planting payload would create if anything ever ran it. */
export const MARKER = join(tmpdir(), `as-hostile-pwned-${process.pid}`);
export const RUN_MARKER = `touch ${MARKER}`;

export type FileSpec = string | Buffer | { symlink: string } | { dir: true };

export interface HostileCase {
  name: string;
  /** Files written (repo-relative) before the snapshot is taken. */
  files?: Record<string, FileSpec>;
  /** CLI arguments (after `agent-sessions`). */
  args: string[];
  /** The documented exit code: 2 for bad input, 1 for a refusal. */
  code: number;
  /** What the first line of stderr must say. */
  message: RegExp;
}

/** Writes `files`, runs `body`, then puts every path back exactly as it was (tracked config included). */
export function withFiles<T>(dir: string, files: Record<string, FileSpec> = {}, body: () => T): T {
  const saved = new Map<string, Buffer | undefined>();
  for (const [rel, spec] of Object.entries(files)) {
    const path = join(dir, rel);
    let original: Buffer | undefined;
    try {
      if (lstatSync(path).isFile()) original = readFileSync(path);
    } catch {
      /* did not exist */
    }
    saved.set(path, original);
    rmSync(path, { recursive: true, force: true });
    mkdirSync(dirname(path), { recursive: true });
    if (typeof spec === 'string' || Buffer.isBuffer(spec)) writeFileSync(path, spec);
    else if ('symlink' in spec) symlinkSync(spec.symlink, path);
    else mkdirSync(path, { recursive: true });
  }
  try {
    return body();
  } finally {
    for (const [path, original] of saved) {
      rmSync(path, { recursive: true, force: true });
      if (original !== undefined) writeFileSync(path, original);
    }
  }
}

/** Everything a refused command must leave alone: tree, index, HEAD, and the hub's refs. */
export function snapshotAll(repo: Repo, hub?: string): Record<string, string> {
  const snap = snapshotTree(repo.dir);
  snap['<refs>'] = git(repo.dir, 'for-each-ref', '--format=%(refname) %(objectname)');
  if (hub) snap['<hub>'] = git(hub, 'for-each-ref', '--format=%(refname) %(objectname)');
  return snap;
}

/** One clear line (plus an optional `fix:` line), never a stack trace, never raw control bytes. */
export function expectClearRefusal(result: CliResult, label: string, code: number, message: RegExp): void {
  expect(result.code, `${label}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`).toBe(code);
  const lines = result.stderr.replace(/\n$/, '').split('\n');
  expect(lines[0], label).toMatch(message);
  expect(lines.length, `${label}: ${result.stderr}`).toBeLessThanOrEqual(2);
  if (lines[1] !== undefined) expect(lines[1], label).toMatch(/^ {2}fix: /);
  expect(result.stderr, label).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  // eslint-disable-next-line no-control-regex
  expect(result.stderr, label).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
  expect(lines[0]!.length, label).toBeLessThan(600);
}

export function expectNothingRan(label: string): void {
  expect(existsSync(MARKER), `${label}: a payload ran`).toBe(false);
}

/** Runs one case: write its files, snapshot, run, check the refusal, compare, clean up. */
export function runHostileCase(repo: Repo, hostile: HostileCase, hub?: string): void {
  withFiles(repo.dir, hostile.files, () => {
    const before = snapshotAll(repo, hub);
    const result = repo.cli(hostile.args);
    expectClearRefusal(result, hostile.name, hostile.code, hostile.message);
    expect(snapshotAll(repo, hub), `${hostile.name}: something changed`).toEqual(before);
    expectNothingRan(hostile.name);
  });
}

/** Case counts per category, collected for docs/SECURITY.md (see hostile-count.test.ts). */
export function countLine(category: string, count: number): string {
  return `hostile cases ${category}: ${count}`;
}
