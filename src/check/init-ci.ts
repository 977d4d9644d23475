// `init --ci github|gitlab`: writes the CI job that runs `agent-sessions check` on every
// push and pull/merge request, with the full history fetched (the range needs its base).
// Never overwrites: an existing workflow is left alone; an existing .gitlab-ci.yml gets the
// job appended once (a top-level key), so running init twice changes no byte.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.ts';
import type { InitOptions } from '../commands/init.ts';
import type { Layout } from '../layout.ts';
import { loadConfig } from '../config.ts';
import { packageRoot } from '../package-root.ts';
import { readRepoText, safeWriteFile } from '../safe-fs.ts';

type StepContext = { root: string; layout: Layout; created: string[]; updated: string[]; cwd: string };

export const CI_FILES = { github: '.github/workflows/agent-sessions.yml', gitlab: '.gitlab-ci.yml' } as const;

function installCommand(root: string): string {
  if (existsSync(join(root, 'package-lock.json'))) return 'npm ci';
  if (existsSync(join(root, 'pnpm-lock.yaml'))) return 'npx pnpm install --frozen-lockfile';
  if (existsSync(join(root, 'yarn.lock'))) return 'npx yarn install --frozen-lockfile';
  return 'npm install';
}

export function renderCi(provider: keyof typeof CI_FILES, vars: { main: string; branchPrefix: string; install: string }): string {
  const text = readFileSync(join(packageRoot(), 'templates', 'ci', `${provider}.yml`), 'utf8');
  const values: Record<string, string> = {
    MAIN: vars.main,
    BRANCH_PREFIX: vars.branchPrefix,
    BRANCH_PREFIX_RE: vars.branchPrefix.replace(/[/.*+?^${}()|[\]\\]/g, '\\$&'),
    INSTALL: vars.install,
  };
  return text.replace(/\{\{([A-Z_]+)\}\}/g, (whole, name: string) => values[name] ?? whole);
}

export function ciWorkflowStep(options: InitOptions): ((ctx: StepContext) => void) | undefined {
  if (options.ci === undefined) return undefined;
  const provider = options.ci;
  if (provider !== 'github' && provider !== 'gitlab') {
    throw new UsageError('usage', `unknown CI provider ${JSON.stringify(provider)}`, { fix: 'use --ci github or --ci gitlab' });
  }
  return ({ root, created, updated }) => {
    const config = loadConfig(root);
    const content = renderCi(provider, { main: config.git.mainBranch, branchPrefix: config.git.branchPrefix, install: installCommand(root) });
    const rel = CI_FILES[provider];
    const file = join(root, rel);
    if (!existsSync(file)) {
      safeWriteFile(root, file, content);
      created.push(rel);
      return;
    }
    if (provider === 'gitlab') {
      const existing = readRepoText(root, file) ?? ''; // existsSync passed: refused if a link (dangling too), FIFO or device
      if (/^agent-sessions:/m.test(existing)) return;
      safeWriteFile(root, file, `${existing}${existing.endsWith('\n') ? '' : '\n'}\n${content}`);
      updated.push(rel);
    }
  };
}
