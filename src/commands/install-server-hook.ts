// `agent-sessions install-server-hook <bare-repo>`: makes a bare hub enforce the protocol
// with a pre-receive hook, without npm in that repository. It COPIES the self-contained
// dist/hook.cjs into the hub's hooks folder (so the hub keeps working if this package is
// moved, upgraded or removed; re-run the command to upgrade) and writes a small sh
// `pre-receive` that runs it with the node that ran the installer, falling back to `node`
// on PATH. An existing pre-receive that is not ours is never overwritten.
// It also PINS the hub's policy (src/policy/pin.ts): the config read from the guarded branch,
// and digests of _templates/ and _bin/, recorded in the hub's git directory. pre-receive
// judges with that record only, so a pushed policy change takes effect when an admin runs
// this command again on the hub (docs/SECURITY.md, "The hub's policy is pinned").
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { Command } from '../cli/command.ts';
import { RefusedError, UsageError } from '../errors.ts';
import { gitSync } from '../git.ts';
import { packageRoot } from '../package-root.ts';
import { pinHubPolicy, type PinResult } from '../policy/pin.ts';
import { ruleIds } from '../../rules/index.ts';
import { shellQuote } from '../sessions.ts';

export interface InstallServerHookOptions {
  repo: string;
  cwd?: string;
  /** The branch to read the policy from (default: the hub's HEAD, then the branch its config guards). */
  branch?: string;
  /** Only (re-)pin the policy; leave the hooks alone (a hand-written hook calling `agent-sessions hook pre-receive`). */
  pinOnly?: boolean;
}

export interface InstallServerHookResult {
  repo: string;
  hook: string;
  runner: string;
  replaced: boolean;
  policy: PinResult;
}

export const SERVER_MARKER = '# agent-sessions: server hook';
export const RUNNER_NAME = 'agent-sessions-hook.cjs';

export function serverHookScript(node: string): string {
  return `#!/bin/sh
${SERVER_MARKER} (written by \`agent-sessions install-server-hook\`; re-run it to upgrade)
# Judges every push to main and to session branches; refusals reach the pusher as remote: lines.
here=$(cd "$(dirname "$0")" && pwd)
node=${shellQuote(node)}
[ -x "$node" ] || node=node
exec "$node" "$here/${RUNNER_NAME}" pre-receive "$@"
`;
}

export async function installServerHook(options: InstallServerHookOptions): Promise<InstallServerHookResult> {
  const repo = isAbsolute(options.repo) ? options.repo : resolve(options.cwd ?? process.cwd(), options.repo);
  if (!existsSync(repo)) throw new UsageError('no-such-repo', `no repository at ${repo}`, { fix: 'pass the path of the bare hub, e.g. /srv/git/project.git' });
  let bare: string;
  let hooksDir: string;
  try {
    bare = gitSync(['rev-parse', '--is-bare-repository'], { cwd: repo }).trim();
    hooksDir = gitSync(['rev-parse', '--git-path', 'hooks'], { cwd: repo }).trim();
  } catch {
    throw new UsageError('not-a-repo', `${repo} is not a git repository`, { fix: 'pass the path of the bare hub (git init --bare creates one)' });
  }
  if (bare !== 'true') {
    throw new UsageError('not-bare', `${repo} is not a bare repository`, { fix: 'install the server hook in the hub everyone pushes to (a bare repository); clients use `agent-sessions install-hooks`' });
  }
  if (options.pinOnly) {
    return { repo, hook: '', runner: '', replaced: false, policy: pinHubPolicy(repo, ruleIds, options.branch ? { branch: options.branch } : {}) };
  }
  if (!isAbsolute(hooksDir)) hooksDir = resolve(repo, hooksDir);
  const source = join(packageRoot(), 'dist', 'hook.cjs');
  if (!existsSync(source)) throw new UsageError('not-built', `${source} is missing`, { fix: 'build the package first: npm run build' });
  mkdirSync(hooksDir, { recursive: true });
  const hook = join(hooksDir, 'pre-receive');
  let replaced = false;
  if (existsSync(hook)) {
    const current = readFileSync(hook, 'utf8');
    if (!current.includes(SERVER_MARKER)) {
      throw new RefusedError('hook-exists', `${hook} exists and was not written by agent-sessions`, {
        fix: `move it aside (mv ${hook} ${hook}.local) and run install-server-hook again; call the old one from a wrapper if you still need it`,
      });
    }
    replaced = true;
  }
  // Pin first: a policy that does not validate leaves the hub (and its old pin) as it was.
  const policy = pinHubPolicy(repo, ruleIds, options.branch ? { branch: options.branch } : {});
  const runner = join(hooksDir, RUNNER_NAME);
  copyFileSync(source, runner);
  writeFileSync(hook, serverHookScript(process.execPath));
  chmodSync(hook, 0o755);
  return { repo, hook, runner, replaced, policy };
}

export const command: Command<InstallServerHookOptions, InstallServerHookResult> = {
  run: installServerHook,
  text: (r) =>
    [
      ...(r.hook
        ? [`agent-sessions install-server-hook: ${r.replaced ? 'upgraded' : 'installed'} ${r.hook}`, `  runner  ${r.runner} (a copy of dist/hook.cjs; needs Node >= 20 on the hub, no npm)`]
        : [`agent-sessions install-server-hook --pin-only: the hooks of ${r.repo} are left as they are`]),
      `  policy  pinned from ${r.policy.source}${r.policy.commit ? ` at ${r.policy.branch} ${r.policy.commit.slice(0, 12)}` : ''} into ${r.policy.file}`,
      ...(r.policy.changed === undefined ? [] : [r.policy.changed.length ? `  changed since the last pin: ${r.policy.changed.join(', ')}` : '  unchanged since the last pin']),
      ...r.policy.notes.map((note) => `  note    ${note}`),
      `  pushes to ${r.policy.branch} and to session branches are now judged with the pinned policy; refusals reach the pusher as remote: lines`,
      `  a pushed change to the policy takes effect here only when this command is run again`,
    ].join('\n'),
};
