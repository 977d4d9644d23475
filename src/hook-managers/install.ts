// Runs the team's hook manager's own installer after its config gained our commands, so its
// hooks (and ours among them) are in .git/hooks at once. When the installer is not reachable
// here, nothing fails: the line to run is returned for the user.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { RefusedError } from '../errors.ts';
import type { HookManagerName } from './detect.ts';
import { PRE_COMMIT_INSTALL_ARGS } from './pre-commit.ts';

function onPath(name: string): boolean {
  const { spawnSync } = process.getBuiltinModule('node:child_process');
  return spawnSync(name, ['--version'], { stdio: 'ignore' }).status === 0;
}

function installerFor(top: string, manager: HookManagerName): { command: string; args: string[]; shown: string } | undefined {
  const bin = (name: string) => join(top, 'node_modules', '.bin', name);
  switch (manager) {
    case 'lefthook':
      return existsSync(bin('lefthook')) ? { command: bin('lefthook'), args: ['install'], shown: 'npx lefthook install' } : undefined;
    case 'simple-git-hooks':
      return existsSync(bin('simple-git-hooks')) ? { command: bin('simple-git-hooks'), args: [], shown: 'npx simple-git-hooks' } : undefined;
    case 'pre-commit': {
      const tool = onPath('prek') ? 'prek' : onPath('pre-commit') ? 'pre-commit' : undefined;
      return tool ? { command: tool, args: ['install', ...PRE_COMMIT_INSTALL_ARGS], shown: `${tool} install ${PRE_COMMIT_INSTALL_ARGS.join(' ')}` } : undefined;
    }
    default:
      return undefined;
  }
}

const SHOWN: Partial<Record<HookManagerName, string>> = {
  lefthook: 'npx lefthook install',
  'simple-git-hooks': 'npx simple-git-hooks',
  'pre-commit': `pre-commit install ${PRE_COMMIT_INSTALL_ARGS.join(' ')}`,
};

/** Runs the installer; returns the line to run by hand when it could not be run here. */
export function runManagerInstall(top: string, manager: HookManagerName): string | undefined {
  const installer = installerFor(top, manager);
  if (!installer) return `run \`${SHOWN[manager]}\` so that ${manager} installs the hooks (ours are in its config now)`;
  const { spawnSync } = process.getBuiltinModule('node:child_process');
  const result = spawnSync(installer.command, installer.args, { cwd: top, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new RefusedError('hook-manager-install', `\`${installer.shown}\` failed: ${`${result.stderr}${result.stdout}`.trim().split('\n').slice(-2).join(' / ')}`, {
      fix: `fix what ${manager} says, then run \`${installer.shown}\``,
    });
  }
  return undefined;
}
