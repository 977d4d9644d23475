// Fixtures for lifecycle tests: a planner repo with N planned sessions pushed to a bare hub.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CLI, cloneAgent, git, gitTry, makeHub, makeRepo, repoAt, tempDir, type CliResult, type Repo } from './repo.js';

export interface PlannedHub {
  planner: Repo;
  hub: string;
  slugs: string[];
}

/** Slugs 2025-01-<day>-<word>, oldest first. */
export function plannedSlugs(count: number, word = 'task'): string[] {
  return Array.from({ length: count }, (_, i) => `2025-01-${String(i + 1).padStart(2, '0')}-${word}-${i + 1}`);
}

/** Planner and hub built once per list of slugs in this test file: each plannedHub() copies them. */
const plannedTemplates = new Map<string, { plannerDir: string; hub: string }>();

export function plannedHub(count = 1, slugs: string[] = plannedSlugs(count)): PlannedHub {
  const key = slugs.join('\n');
  let template = plannedTemplates.get(key);
  if (!template) {
    const planner = makeRepo();
    for (const slug of slugs) {
      const made = planner.cli(['new', slug, '--criteria', 'it works']);
      if (made.code !== 0) throw new Error(`new failed: ${made.stderr}`);
      const ready = planner.cli(['ready', slug]);
      if (ready.code !== 0) throw new Error(`ready failed: ${ready.stderr}`);
    }
    template = { plannerDir: planner.dir, hub: makeHub(planner) };
    plannedTemplates.set(key, template);
  }
  // Copies: every caller may change its planner and hub as it likes (the package link is kept
  // as it is; the planner's origin is pointed at its own hub).
  const plannerDir = join(tempDir('as-repo-'), 'work');
  cpSync(template.plannerDir, plannerDir, { recursive: true, verbatimSymlinks: true });
  const hub = join(tempDir('as-hub-'), 'hub.git');
  cpSync(template.hub, hub, { recursive: true });
  git(plannerDir, 'remote', 'set-url', 'origin', hub);
  return { planner: repoAt(plannerDir), hub, slugs };
}

export function agents(hub: string, count: number): Repo[] {
  return Array.from({ length: count }, (_, i) => cloneAgent(hub, `agent-${i + 1}`));
}

/** Runs the built CLI as a child process without blocking, so many can race at once. */
export function runCliAsync(cwd: string, args: string[], options: { env?: NodeJS.ProcessEnv; timeout?: number } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, ...options.env }, timeout: options.timeout ?? 120_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code, signal) => {
      const out: CliResult = { code: code ?? (signal ? -1 : -1), stdout, stderr };
      if (args.includes('--json')) {
        try {
          out.json = JSON.parse(stdout);
        } catch {
          /* the test will say so */
        }
      }
      resolve(out);
    });
  });
}

/** Lines of a file on the hub's main. */
export function hubFile(hub: string, path: string): string {
  return git(hub, 'show', `main:${path}`);
}

export const LOCK = '_AGENTS/sessions/sessions.lock';
export const S = '_AGENTS/sessions';

/** A session claimed by an agent: its worktree and the environment its .session-env sets. */
export interface Claimed {
  wt: string;
  env: Record<string, string>;
}

/** `claim <slug> --json` in the agent's clone; throws when the claim fails. */
export function claimIn(agent: Repo, slug: string, extra: string[] = []): Claimed {
  const r = agent.cli(['claim', slug, ...extra, '--json']);
  if (r.code !== 0) throw new Error(`claim failed: ${r.stderr}${r.stdout}`);
  return { wt: r.json.path, env: r.json.env };
}

/** Writes files in the worktree and commits them as the session, hooks running; returns the new commit. */
export function commitIn(c: Claimed, message: string, files: Record<string, string | Buffer>): string {
  for (const [rel, content] of Object.entries(files)) {
    const file = join(c.wt, rel);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  git(c.wt, 'add', '--', ...Object.keys(files));
  const r = gitTry(c.wt, ['commit', '-q', '-m', message], c.env);
  if (r.status !== 0) throw new Error(`commit refused: ${r.stderr}`);
  return git(c.wt, 'rev-parse', 'HEAD').trim();
}
