// `agent-sessions init`: lays out the sessions tree, writes the config, the README for the
// adopting repo, the _bin wrappers and the .gitignore lines, and installs the hooks with
// husky. It never commits, and running it twice changes no byte.
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { CONFIG_FILE, DEFAULT_COMMIT_TYPES, loadConfig } from '../config.ts';
import { requireTopLevel, type CommonOptions } from '../context.ts';
import { installHooks, packageBinFor, type HookInstallResult } from '../hooks-install.ts';
import { agentsInitStep } from '../agents-config/index.ts';
import { ciWorkflowStep } from '../check/init-ci.ts';
import { makeLayout, type Layout } from '../layout.ts';
import { readRepoText, safeWriteFile } from '../safe-fs.ts';
import { STATES } from '../states.ts';
import { renderTemplate } from '../templates.ts';
import { ruleIds } from '../../rules/index.ts';
import { detectMainBranch, type DetectedBranch } from '../main-branch.ts';
import { parseHubMode, writeHubMode } from '../hub-mode.ts';
import type { HubMode } from '../config.ts';
import type { Command } from '../cli/command.ts';

export interface InitOptions extends CommonOptions {
  /** Skip hook installation (for repos that manage hooks another way). */
  hooks?: boolean;
  /** Extra setup steps contributed by later features (CI workflow, agent guards). */
  ci?: string;
  agents?: string;
  /** direct | integration | refs (docs/hosting.md, "Hub modes"). */
  hubMode?: string;
  integrationBranch?: string;
}

export interface InitResult {
  root: string;
  created: string[];
  updated: string[];
  unchanged: boolean;
  hooks?: HookInstallResult;
  /** The guarded branch written into a new config, and where it was read. */
  mainBranch?: DetectedBranch;
  /** From the folder init ran in, the way up to the repository's top ('' at the top). */
  toTop?: string;
  /** The hub mode the config now names, when --hub-mode was given. */
  hubMode?: { mode: HubMode; mainBranch: string };
}

type Step = (ctx: { root: string; layout: Layout; created: string[]; updated: string[]; cwd: string }) => void | Promise<void>;

/** Later features register extra init steps here (e.g. `--ci`, `--agents`). */
export const initExtensions: Array<(options: InitOptions) => Step | undefined> = [];
initExtensions.push(agentsInitStep);
initExtensions.push(ciWorkflowStep);

function writeIfMissing(root: string, rel: string, content: string, created: string[], mode?: number): void {
  const file = join(root, rel);
  if (existsSync(file)) return;
  safeWriteFile(root, file, content, mode === undefined ? {} : { mode });
  created.push(rel);
}

function ensureGitignore(root: string, lines: string[], created: string[], updated: string[]): void {
  const file = join(root, '.gitignore');
  const existing = readRepoText(root, file);
  const have = new Set((existing ?? '').split(/\r?\n/).map((l) => l.trim()));
  const missing = lines.filter((line) => !have.has(line) && !have.has(line.replace(/\/$/, '')) && !have.has(`/${line}`));
  if (missing.length === 0) return;
  const prefix = existing === undefined || existing === '' ? '' : existing.endsWith('\n') ? '' : '\n';
  safeWriteFile(root, file, `${existing ?? ''}${prefix}# agent-sessions: session worktrees and clones\n${missing.join('\n')}\n`);
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
    const text = readRepoText(root, file);
    if (text !== undefined) {
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
      safeWriteFile(root, file, `${JSON.stringify(pkg, null, indent)}\n`);
      updated.push(relative(root, file).split('\\').join('/'));
      return;
    }
    if (dir === root) return;
    dir = dirname(dir);
  }
}

function realTop(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return dir;
  }
}

/** `../..` from `<dir>/<slug>` back to the repository's top. */
function upTo(dir: string): string {
  return Array.from({ length: dir.split('/').length + 1 }, () => '..').join('/');
}

function defaultConfigText(mainBranch: string): string {
  return `${JSON.stringify(
    {
      paths: { sessions: '_AGENTS/sessions', knowledge: '_AGENTS/knowledge', worktrees: '.worktrees', clones: '.sessions' },
      git: { remote: 'origin', mainBranch, branchPrefix: 'session/' },
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

  // Validate an existing config before writing anything (and before package.json is read
  // here: the loader refuses a link or a device in its place).
  const config = loadConfig(root, ruleIds);
  const hasPackageKey = (() => {
    try {
      return 'agentSessions' in (JSON.parse(readRepoText(root, join(root, 'package.json')) ?? '') as object);
    } catch {
      return false;
    }
  })();
  const layout = makeLayout(root, config);
  const hubMode = parseHubMode(options);

  // The guarded branch is the hub's default branch (or, with no hub yet, the current one):
  // a `master` repository must not get "main" written silently.
  const detected = hasPackageKey || existsSync(join(root, CONFIG_FILE)) ? undefined : detectMainBranch(root, config.git.remote, config.git.branchPrefix);
  if (!hasPackageKey) writeIfMissing(root, CONFIG_FILE, defaultConfigText(detected?.name ?? config.git.mainBranch), created);
  if (hubMode) {
    const changed = writeHubMode(root, config.git.remote, hubMode);
    if (changed && !created.includes(changed) && !updated.includes(changed)) updated.push(changed);
  }
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
        MAIN: detected?.name ?? config.git.mainBranch,
        // The CLI from inside a worktree or clone, by a relative path: no PATH needed.
        BIN: packageBinFor(root, cwd),
        WT_UP: upTo(layout.rel.worktrees),
        CL_UP: upTo(layout.rel.clones),
        CLONES: layout.rel.clones,
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
  // node_modules/ too: the adoption's `git add` must never sweep the installed package in.
  ensureGitignore(root, [`${layout.rel.worktrees}/`, `${layout.rel.clones}/`, 'node_modules/'], created, updated);

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
  return {
    root,
    created,
    updated,
    unchanged: created.length === 0 && updated.length === 0,
    ...(detected ? { mainBranch: detected } : {}),
    ...(realTop(cwd) !== realTop(root) ? { toTop: relative(realTop(cwd), realTop(root)).split('\\').join('/') } : {}),
    ...(hooks ? { hooks } : {}),
    ...(hubMode ? { hubMode: { mode: hubMode.mode, mainBranch: loadConfig(root, ruleIds).git.mainBranch } } : {}),
  };
}

/** What to stage after init: exactly the files it wrote (never node_modules/ or your other changes). */
export function stagedPaths(result: Pick<InitResult, 'created' | 'updated'>): string[] {
  return [...new Set([...result.created, ...result.updated])].map((p) => (/^[A-Za-z0-9._/-]+$/.test(p) ? p : `'${p.replace(/'/g, `'\\''`)}'`));
}

export const command: Command<InitOptions, InitResult> = {
  run: init,
  text: (result) => {
    if (result.unchanged) return `agent-sessions init: already set up in ${result.root}; nothing changed.`;
    const lines = [`agent-sessions init: set up in ${result.root}`];
    for (const path of result.created) lines.push(`  created  ${path}`);
    for (const path of result.updated) lines.push(`  updated  ${path}`);
    if (result.hooks?.huskyMessage) lines.push(`  hooks    not installed: ${result.hooks.huskyMessage}`);
    if (result.mainBranch) lines.push(`  branch   ${result.mainBranch.name} guarded (git.mainBranch, from ${result.mainBranch.source})`);
    if (result.hubMode) lines.push(`  hub mode ${result.hubMode.mode} (git.hubMode; transitions ${result.hubMode.mode === 'refs' ? `as claim refs and pull requests into ${result.hubMode.mainBranch}` : `pushed to ${result.hubMode.mainBranch}`})`);
    const paths = stagedPaths(result);
    // The paths are the repository's: from a subfolder, the line first goes to the top.
    const cd = result.toTop ? `cd ${result.toTop} && ` : '';
    lines.push(`Next: review and commit these files: ${cd}git add ${paths.join(' ')} && git commit -m "[maint] chore: adopt agent-sessions"`);
    return lines.join('\n');
  },
};
