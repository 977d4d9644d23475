// A real gitolite (Debian's gitolite3), driven without ssh: pushes go through gitolite-shell
// with the key name and SSH_ORIGINAL_COMMAND, as sshd's forced command would run it, via a
// stand-in for ssh (GIT_SSH_COMMAND). gitolite runs as its own unprivileged user with its
// home in a temp folder. Set-up as gitolite's docs describe: LOCAL_CODE and
// `repo-specific-hooks` in ~/.gitolite.rc, `option hook.pre-receive = <name>` in
// gitolite.conf pushed through gitolite-admin, so gitolite itself links the repository's
// hooks/pre-receive to its multi-hook driver and the driver to our hook.
// Needs root (to create that user and switch to it) and gitolite on PATH; else skipped with
// the reason printed (.ci/run installs gitolite3 where it is missing).
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BAD_CASES } from './helpers/history.ts';
import { plannedHub, S } from './helpers/lifecycle.ts';
import { CLI, cloneAgent, git, gitTry, repoAt, tempDir, type Repo } from './helpers/repo.ts';

const USER = 'as-gitolite';
const PATH = '/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin';

function why(): string | undefined {
  if (process.platform !== 'linux') return 'not Linux';
  if (process.getuid?.() !== 0) return 'not root: cannot create and switch to the gitolite user';
  if (spawnSync('sh', ['-c', 'command -v gitolite && command -v runuser'], { stdio: 'ignore' }).status !== 0) return 'gitolite (Debian: apt-get install gitolite3) or runuser is not installed';
  return undefined;
}
const skipped = why();
if (skipped) console.log(`test/gitolite.test.ts skipped: ${skipped}`);

let home = '';
let shell = '';
let repoBase = '';

/** Runs a command as the gitolite user, with a clean environment (none of the test's git config). */
function asGitolite(args: string[], input?: string) {
  return spawnSync('runuser', ['-u', USER, '--', 'env', '-i', `HOME=${home}`, `PATH=${PATH}`, ...args], { encoding: 'utf8', input, cwd: home });
}

function mustRun(result: ReturnType<typeof spawnSync>, what: string): string {
  if (result.status !== 0) throw new Error(`${what} failed (${result.status}): ${String(result.stderr)}${String(result.stdout)}`);
  return String(result.stdout);
}

const url = (repo: string) => `${USER}@gitolite.invalid:${repo}`;

/** Edits gitolite.conf through gitolite-admin, as an admin would, and pushes it. */
function pushConf(conf: string): void {
  const admin = join(tempDir('as-gl-admin-'), 'admin');
  git(tempDir(), 'clone', '-q', url('gitolite-admin'), admin);
  writeFileSync(join(admin, 'conf', 'gitolite.conf'), conf);
  git(admin, 'commit', '-q', '--no-verify', '-am', 'conf');
  const pushed = gitTry(admin, ['push', '-q', '--no-verify', 'origin', 'HEAD:master']);
  expect(pushed.status, pushed.stderr).toBe(0);
  expect(pushed.stderr).not.toMatch(/WARNING|FATAL/);
}

const BASE_CONF = `repo gitolite-admin\n    RW+ = admin\n\nrepo project\n    RW+ = admin\n`;
const HOOKED_CONF = `${BASE_CONF}    option hook.pre-receive = agent-sessions-pre-receive\n`;

let planned: ReturnType<typeof plannedHub>;

beforeAll(() => {
  if (skipped) return;
  if (spawnSync('id', ['-u', USER], { stdio: 'ignore' }).status !== 0) {
    mustRun(spawnSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', USER], { encoding: 'utf8' }), 'useradd');
  }
  home = tempDir('as-gitolite-');
  chmodSync(home, 0o755);
  mustRun(spawnSync('chown', [USER, home], { encoding: 'utf8' }), 'chown');
  // gitolite's admin key: only its name (the file name) matters here, no sshd ever reads it.
  const keys = tempDir('as-gl-key-');
  chmodSync(keys, 0o755);
  mustRun(spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'admin', '-f', join(keys, 'admin')], { encoding: 'utf8' }), 'ssh-keygen');
  mustRun(asGitolite(['gitolite', 'setup', '-pk', join(keys, 'admin.pub')]), 'gitolite setup');
  // ~/.gitolite.rc: LOCAL_CODE managed on the server, and the repo-specific-hooks feature.
  const rcFile = join(home, '.gitolite.rc');
  const rc = readFileSync(rcFile, 'utf8')
    .replace(/# (LOCAL_CODE\s+=>\s+"\$ENV\{HOME\}\/local",)/, '$1')
    .replace(/# ('repo-specific-hooks',)/, '$1');
  expect(rc).toMatch(/^\s+LOCAL_CODE\s+=>\s+"\$ENV\{HOME\}\/local",/m);
  expect(rc).toMatch(/^\s+'repo-specific-hooks',/m);
  mustRun(asGitolite(['sh', '-c', `cat > ${rcFile} && mkdir -p ${home}/local/hooks/repo-specific`], rc), 'write the rc');
  repoBase = join(home, 'repositories');
  // The stand-in for ssh: what sshd's forced command (authorized_keys) would run for key "admin".
  shell = join(keys, 'ssh');
  writeFileSync(
    shell,
    `#!/bin/sh\nfor last; do :; done\nexec runuser -u ${USER} -- env -i HOME=${home} PATH=${PATH} SSH_CONNECTION='127.0.0.1 1 127.0.0.1 22' SSH_ORIGINAL_COMMAND="$last" /usr/share/gitolite3/gitolite-shell admin\n`,
  );
  chmodSync(shell, 0o755);
  process.env.GIT_SSH_COMMAND = shell;
  process.env.GIT_SSH_VARIANT = 'simple';
  pushConf(BASE_CONF);
  expect(existsSync(join(repoBase, 'project.git'))).toBe(true);
  // The project: planned sessions, pushed to gitolite's repository.
  planned = plannedHub(2);
  planned.planner.git('remote', 'set-url', 'origin', url('project'));
  const seeded = gitTry(planned.planner.dir, ['push', '-q', '--no-verify', 'origin', 'main']);
  expect(seeded.status, seeded.stderr).toBe(0);
}, 120_000);

describe.skipIf(Boolean(skipped))('a real gitolite', () => {
  const hub = () => join(repoBase, 'project.git');

  it('install-server-hook --layout gitolite writes the repo-specific hook into gitolite LOCAL_CODE; gitolite links it', () => {
    // Without --layout on a gitolite repository: refused, with the command to use instead.
    const plain = asGitolite(['node', CLI, 'install-server-hook', hub(), '--json']);
    expect(plain.status, plain.stderr).toBe(1);
    const error = JSON.parse(plain.stdout).error;
    expect(error.code).toBe('gitolite-repo');
    expect(existsSync(join(hub(), 'hooks', 'pre-receive'))).toBe(false);
    // The fix, as printed (its words after the program name).
    const words = String(error.fix).replace(/^agent-sessions /, '').split(' ').map((a) => a.replace(/^'(.*)'$/, '$1'));
    expect(words).toEqual(['install-server-hook', hub(), '--layout', 'gitolite']);
    const installed = asGitolite(['node', CLI, ...words, '--json']);
    expect(installed.status, installed.stderr).toBe(0);
    const result = JSON.parse(installed.stdout);
    const hook = join(home, 'local', 'hooks', 'repo-specific', 'agent-sessions-pre-receive');
    expect(result.hook).toBe(hook);
    expect(result.next).toMatch(/option hook\.pre-receive = agent-sessions-pre-receive/);
    pushConf(HOOKED_CONF);
    // gitolite's own wiring: hooks/pre-receive -> its multi-hook driver, which runs the
    // hooks/pre-receive.h00-* links, one of which is ours.
    const own = join(hub(), 'hooks', 'pre-receive');
    expect(lstatSync(own).isSymbolicLink()).toBe(true);
    const linked = join(hub(), 'hooks', 'pre-receive.h00-agent-sessions-pre-receive');
    expect(readlinkSync(linked)).toBe(hook);
    // The runner is not in the repository's hooks folder: the hook finds it by its real path.
    expect(existsSync(join(hub(), 'hooks', 'agent-sessions-hook.cjs'))).toBe(false);
    expect(realpathSync(result.runner)).toBe(join(home, 'local', 'hooks', 'repo-specific', 'agent-sessions-hook.cjs'));
  });

  it('a push the rules refuse is refused through gitolite with our message; the repository is unchanged', () => {
    const agent = cloneAgent(url('project'), 'mallory');
    const before = asGitolite(['git', '-C', hub(), 'rev-parse', 'main']).stdout.trim();
    const bad = BAD_CASES[0]!;
    const sha = bad.make(agent);
    const refused = gitTry(agent.dir, ['push', '--no-verify', 'origin', 'HEAD:refs/heads/main']);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/remote: .*\[message-format\]/);
    expect(refused.stderr).toContain(sha.slice(0, 12));
    expect(refused.stderr).toMatch(/pre-receive hook declined/);
    expect(asGitolite(['git', '-C', hub(), 'rev-parse', 'main']).stdout.trim()).toBe(before);
  });

  it('a legitimate claim and completion pass through gitolite and its hooks', () => {
    const agent: Repo = cloneAgent(url('project'), 'alice');
    const slug = planned.slugs[0]!;
    const claimed = agent.cli(['claim', slug, '--json']);
    expect(claimed.code, claimed.stderr).toBe(0);
    const wt = repoAt(claimed.json.path as string);
    wt.write('src/feature.txt', 'feature\n');
    wt.git('add', 'src/feature.txt');
    const committed = gitTry(wt.dir, ['commit', '-q', '-m', `[${slug}] feat: add the feature`], claimed.json.env);
    expect(committed.status, committed.stderr).toBe(0);
    const done = agent.cli(['complete', slug, '--notes', 'done through gitolite', '--json']);
    expect(done.code, done.stderr).toBe(0);
    const onHub = asGitolite(['git', '-C', hub(), 'ls-tree', '-r', '--name-only', 'main', '--', `${S}/completed/${slug}/`]).stdout;
    expect(onHub).toContain(`${S}/completed/${slug}/SESSION.md`);
  });

  it('a link already at the hook name in a repo-specific folder is refused, never written through', () => {
    const dir = join(home, 'elsewhere');
    const target = join(home, 'target');
    mustRun(asGitolite(['sh', '-c', `mkdir -p ${dir} && echo keep > ${target} && ln -s ${target} ${dir}/agent-sessions-pre-receive`]), 'make the link');
    const refused = asGitolite(['node', CLI, 'install-server-hook', hub(), '--layout', 'gitolite', '--hooks-dir', dir, '--json']);
    expect(refused.status, refused.stderr).toBe(1);
    const error = JSON.parse(refused.stdout).error;
    expect(error.code).toBe('hook-exists');
    expect(error.message).toMatch(/never writes through/);
    expect(error.fix).not.toMatch(/--layout gitolite/);
    expect(readFileSync(target, 'utf8')).toBe('keep\n');
  });
});
