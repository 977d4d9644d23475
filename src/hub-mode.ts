// `init --hub-mode direct|integration|refs [--integration-branch <name>]`: the hub mode is
// written into the config (git.hubMode; integration also sets git.mainBranch to the
// integration branch). On a repository that already has a config, only those keys change,
// so that the fix printed for a protected main (`hub-protected`) can be copied as it is.
import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_FILE, HUB_MODES, readConfigText, validateConfig, type HubMode } from './config.ts';
import { UsageError } from './errors.ts';
import { detectMainBranch } from './main-branch.ts';
import { safeWriteFile } from './safe-fs.ts';

export interface HubModeRequest {
  hubMode?: string;
  integrationBranch?: string;
}

export interface HubModeChoice {
  mode: HubMode;
  /** The branch the package writes to (integration) or reads (direct, refs). */
  mainBranch?: string;
}

const BRANCH = /^[A-Za-z0-9._/-]{1,100}$/;

/** Validates the flags (exit 2 on a bad value); undefined when no mode was asked for. */
export function parseHubMode(request: HubModeRequest): HubModeChoice | undefined {
  const { hubMode, integrationBranch } = request;
  if (hubMode === undefined) {
    if (integrationBranch !== undefined) {
      throw new UsageError('bad-hub-mode', '--integration-branch needs --hub-mode integration', { fix: `run: agent-sessions init --hub-mode integration --integration-branch ${BRANCH.test(integrationBranch) ? integrationBranch : 'agents'}` });
    }
    return undefined;
  }
  if (!(HUB_MODES as readonly string[]).includes(hubMode)) {
    throw new UsageError('bad-hub-mode', `unknown hub mode ${JSON.stringify(hubMode)}`, {
      fix: `use one of: ${HUB_MODES.join(', ')} (docs/hosting.md, "Hub modes"), e.g. agent-sessions init --hub-mode refs`,
    });
  }
  const mode = hubMode as HubMode;
  if (integrationBranch !== undefined && mode !== 'integration') {
    throw new UsageError('bad-hub-mode', `--integration-branch is for --hub-mode integration, not ${mode}`, { fix: `drop --integration-branch, or use --hub-mode integration` });
  }
  if (mode !== 'integration') return { mode };
  const branch = integrationBranch ?? 'agents';
  if (!BRANCH.test(branch) || branch.startsWith('-') || branch.includes('..')) {
    throw new UsageError('bad-hub-mode', `--integration-branch ${JSON.stringify(branch)} is not a usable branch name`, { fix: 'use letters, digits, ".", "_", "/" and "-", e.g. --integration-branch agents' });
  }
  return { mode, mainBranch: branch };
}

/**
 * Writes the choice into an existing config (agent-sessions.config.json, or package.json's
 * "agentSessions" key). Returns the file changed, or undefined when it already said so.
 * Leaving integration mode, git.mainBranch goes back to the hub's default branch.
 */
export function writeHubMode(root: string, remote: string, choice: HubModeChoice): string | undefined {
  const file = join(root, CONFIG_FILE);
  const inFile = lstatSync(file, { throwIfNoEntry: false }) !== undefined; // a link too: refused when read
  const path = inFile ? file : join(root, 'package.json');
  const text = readConfigText(path, inFile ? CONFIG_FILE : 'package.json');
  const doc = JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text) as Record<string, unknown>;
  const config = (inFile ? doc : ((doc.agentSessions ??= {}) as Record<string, unknown>)) as { git?: Record<string, unknown> };
  const git = (config.git ??= {});
  const before = JSON.stringify(git);
  const wasIntegration = git.hubMode === 'integration';
  git.hubMode = choice.mode;
  if (choice.mainBranch) git.mainBranch = choice.mainBranch;
  else if (wasIntegration) git.mainBranch = detectMainBranch(root, remote).name;
  if (JSON.stringify(git) === before) return undefined;
  validateConfig(inFile ? doc : doc.agentSessions, inFile ? CONFIG_FILE : 'package.json#agentSessions');
  const indent = /^(\s+)"/m.exec(text)?.[1] ?? '  ';
  safeWriteFile(root, path, `${JSON.stringify(doc, null, indent)}\n`);
  return inFile ? CONFIG_FILE : 'package.json';
}
