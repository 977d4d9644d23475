// `agent-sessions init`: lays out the sessions tree, writes the config, the README for the
// adopting repo, the _bin wrappers and the .gitignore lines, and installs the hooks with
// husky. It never commits, and running it twice changes no byte.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { CONFIG_FILE, DEFAULT_COMMIT_TYPES, loadConfig } from '../config.ts';
import { requireTopLevel, type CommonOptions } from '../context.ts';
import { installHooks, packageBinFor, refuseForeignHooksPath, type HookInstallResult } from '../hooks-install.ts';
import { agentGuardsStep } from '../guard/install.ts';
import { ciWorkflowStep } from '../check/init-ci.ts';
import { makeLayout, type Layout } from '../layout.ts';
import { STATES } from '../states.ts';
import { renderTemplate } from '../templates.ts';
import { ruleIds } from '../../rules/index.ts';
import type { Command } from '../cli/command.ts';

export interface InitOptions extends CommonOptions {
  /** Skip hook installation (for repos that manage hooks another way). */
  hooks?: boolean;
  /** Extra setup steps contributed by later features (CI workflow, agent guards). */
  ci?: string;
  agents?: string;
}

export interface InitResult {
  root: string;
  created: string[];
  updated: string[];
  unchanged: boolean;
  hooks?: HookInstallResult;
}

type Step = (ctx: { root: string; layout: Layout; created: string[]; updated: string[]; cwd: string }) => void | Promise<void>;

/** Later features register extra init steps here (e.g. `--ci`, `--agents`). */
export const initExtensions: Array<(options: InitOptions) => Step | undefined> = [];
initExtensions.push(agentGuardsStep);
initExtensions.push(ciWorkflowStep);

function writeIfMissing(root: string, rel: string, content: string, created: string[], mode?: number): void {
  const file = join(root, rel);
  if (existsSync(file)) return;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content, mode === undefined ? undefined : { mode });
  created.push(rel);
}

function ensureGitignore(root: string, lines: string[], created: string[], updated: string[]): void {
  const file = join(root, '.gitignore');
  const existing = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  const have = new Set((existing ?? '').split(/\r?\n/).map((l) => l.trim()));
  const missing = lines.filter((line) => !have.has(line) && !have.has(line.replace(/\/$/, '')) && !have.has(`/${line}`));
  if (missing.length === 0) return;
  const prefix = existing === undefined || existing === '' ? '' : existing.endsWith('\n') ? '' : '\n';
  writeFileSync(file, `${existing ?? ''}${prefix}# agent-sessions: session worktrees and clones\n${missing.join('\n')}\n`);
  (existing === undefined ? created : updated).push('.gitignore');
}

/**
 * A fresh clone gets its hooks from `npm install`, as with husky: the nearest package.json
 * gets `agent-sessions install-hooks` in its prepare script (appended, never replacing).
 */
function ensurePrepareScript(root: string, cwd: string, updated: string[]): void {
  let dir = cwd;
  while (dir.startsWith(root)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const text = readFileSync(file, 'utf8');
      let pkg: { scripts?: Record<string, string> };
      try {
        pkg = JSON.parse(text) as typeof pkg;
      } catch {
        return; // loadConfig reports a broken root package.json; a nested one is not ours to fix
      }
      const prepare = pkg.scripts?.prepare ?? '';
      if (prepare.includes('agent-sessions')) return;
      const indent = /^(\s+)"/m.exec(text)?.[1] ?? '  ';
      pkg.scripts = { ...pkg.scripts, prepare: prepare ? `${prepare} && agent-sessions install-hooks` : 'agent-sessions install-hooks' };
      writeFileSync(file, `${JSON.stringify(pkg, null, indent)}\n`);
      updated.push(relative(root, file).split('\\').join('/'));
      return;
    }
    if (dir === root) return;
    dir = dirname(dir);
  }
}

function defaultConfigText(): string {
  return `${JSON.stringify(
    {
      paths: { sessions: '_AGENTS/sessions', knowledge: '_AGENTS/knowledge', worktrees: '.worktrees', clones: '.sessions' },
      git: { remote: 'origin', mainBranch: 'main', branchPrefix: 'session/' },
      commit: { types: DEFAULT_COMMIT_TYPES, maintainerPrefix: 'maint', headerMaxLength: 100 },
      rules: {},
    },
    null,
    2,
  )}\n`;
}

export async function init(options: InitOptions = {}): Promise<InitResult> {
  const cwd = options.cwd ?? process.cwd();
  const top = requireTopLevel(cwd);
  // The layout belongs to the repository, not to one worktree of it.
  const root = top;
  const created: string[] = [];
  const updated: string[] = [];

  // Validate an existing config before writing anything.
  const hasPackageKey = (() => {
    try {
      return 'agentSessions' in (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as object);
    } catch {
      return false;
    }
  })();
  const config = loadConfig(root, ruleIds);
  const layout = makeLayout(root, config);
  // A team's own core.hooksPath would be cut off by the install below: refuse first.
  if (options.hooks !== false && process.env.HUSKY !== '0') refuseForeignHooksPath(root);

  if (!hasPackageKey) writeIfMissing(root, CONFIG_FILE, defaultConfigText(), created);
  for (const state of STATES) writeIfMissing(root, `${layout.rel.state(state)}/.gitkeep`, '', created);
  writeIfMissing(root, `${layout.rel.templates}/.gitkeep`, '', created);
  writeIfMissing(root, `${layout.rel.knowledge}/.gitkeep`, '', created);
  writeIfMissing(root, `${layout.rel.knowledge}/sessions/.gitkeep`, '', created);
  writeIfMissing(root, layout.rel.lockFile, '', created);
  writeIfMissing(
    root,
    layout.rel.readme,
    renderTemplate(
      'SESSIONS-README.md.j2',
      {
        SESSIONS: layout.rel.sessions,
        KNOWLEDGE: layout.rel.knowledge,
        WORKTREES: layout.rel.worktrees,
        LOCK_FILE: layout.rel.lockFile,
        MAIN: config.git.mainBranch,
        BRANCH_PREFIX: config.git.branchPrefix,
        TYPES: config.commit.types.map((t) => `\`${t}\``).join(', '),
        MAINT: config.commit.maintainerPrefix,
      },
      layout,
    ),
    created,
  );
  const bin = packageBinFor(root, cwd);
  for (const name of ['claim-session', 'complete-session'] as const) {
    writeIfMissing(root, `${layout.rel.bin}/${name}`, renderTemplate(`${name}.j2`, { PACKAGE_BIN: bin }, layout), created, 0o755);
  }
  ensureGitignore(root, [`${layout.rel.worktrees}/`, `${layout.rel.clones}/`], created, updated);

  for (const extension of initExtensions) {
    const step = extension(options);
    if (step) await step({ root, layout, created, updated, cwd });
  }

  let hooks: HookInstallResult | undefined;
  if (options.hooks !== false) {
    ensurePrepareScript(root, cwd, updated);
    hooks = await installHooks(root, cwd);
    created.push(...hooks.created);
    updated.push(...hooks.updated);
  }
  return { root, created, updated, unchanged: created.length === 0 && updated.length === 0, ...(hooks ? { hooks } : {}) };
}

export const command: Command<InitOptions, InitResult> = {
  run: init,
  text: (result) => {
    if (result.unchanged) return `agent-sessions init: already set up in ${result.root}; nothing changed.`;
    const lines = [`agent-sessions init: set up in ${result.root}`];
    for (const path of result.created) lines.push(`  created  ${path}`);
    for (const path of result.updated) lines.push(`  updated  ${path}`);
    if (result.hooks?.huskyMessage) lines.push(`  hooks    not installed: ${result.hooks.huskyMessage}`);
    lines.push('Next: review and commit these files, e.g. git add <the files above> && git commit -m "[maint] chore: adopt agent-sessions"');
    return lines.join('\n');
  },
};
