// A bare hub with the installed pre-receive (and its pinned policy) seeded with a clean
// protocol history, and the pushers that attack it: shared by the hub-integrity tests.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ruleIds } from '../../rules/index.ts';
import { BAD_CASES, cleanHistory } from './history.ts';
import { git, gitTry, makeRepo, repoAt, runCli, tempDir, type Repo } from './repo.ts';

export const CONFIG = 'agent-sessions.config.json';
export const badMessage = BAD_CASES.find((c) => c.rule === 'message-format')!;

/** The default hub of this test file, built once: each pinnedHub() is a copy of it. */
let template: string | undefined;

/**
 * A hub seeded with a clean history (one active session, alice's) and the hook installed.
 * Without `prepare`, a copy of one hub built per test file (a history of 14 commits, init and
 * install-server-hook cost seconds each time); the copy's hook names its own folder.
 */
export function pinnedHub(prepare?: (seed: Repo) => void): string {
  if (prepare) return buildPinnedHub(prepare);
  template ??= buildPinnedHub();
  const hub = join(tempDir('as-hub-'), 'hub.git');
  cpSync(template, hub, { recursive: true });
  const hook = join(hub, 'hooks', 'pre-receive');
  const text = readFileSync(hook, 'utf8');
  if (!text.includes(template)) throw new Error(`the hub's pre-receive does not name its hub: ${text}`);
  writeFileSync(hook, text.split(template).join(hub));
  return hub;
}

function buildPinnedHub(prepare?: (seed: Repo) => void): string {
  const seed = makeRepo();
  prepare?.(seed);
  cleanHistory(seed);
  const hub = join(tempDir('as-hub-'), 'hub.git');
  git(tempDir(), 'clone', '-q', '--bare', seed.dir, hub);
  const installed = runCli(seed.dir, ['install-server-hook', hub]);
  if (installed.code !== 0) throw new Error(installed.stderr);
  return hub;
}

export function pusher(hub: string): Repo {
  const dir = join(tempDir('as-pusher-'), 'work');
  git(tempDir(), 'clone', '-q', `file://${hub}`, dir);
  return repoAt(dir);
}

export function push(repo: Repo, refspec = 'HEAD:refs/heads/main', ...flags: string[]) {
  // --no-verify: the client's hooks are skipped on purpose; the hub must catch it.
  return gitTry(repo.dir, ['push', '--no-verify', ...flags, 'origin', refspec]);
}

export function setConfig(repo: Repo, change: (config: Record<string, any>) => void): void {
  const config = JSON.parse(repo.read(CONFIG)) as Record<string, any>;
  change(config);
  repo.write(CONFIG, `${JSON.stringify(config, null, 2)}\n`);
}

export const allOff = (config: Record<string, any>) => {
  config.rules = Object.fromEntries(ruleIds.map((id) => [id, 'off']));
};

export const tip = (hub: string, branch = 'main') => git(hub, 'rev-parse', branch).trim();
