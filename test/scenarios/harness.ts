// Scenario harness: drives agent-sessions the way a team does, from a shell, with the real
// CLI installed from the packed tarball (`npm pack`, then `npm i -D <tarball>`), a bare hub
// and a few clones. Nothing here calls the library: every step is a shell line a user could
// type, and a printed fix is run as printed.
//
// Speed: the tarball is packed once per content of the package (dist/, hooks/, templates/,
// package.json) and installed once into a cached node_modules under
// node_modules/.cache/agent-sessions-scenarios/<hash>/; a clone gets a hard-linked copy of it
// (`cp -al`, milliseconds) and runs the `prepare` line npm would run. The adoption scenario
// runs the real `npm i -D <tarball>` itself.
//
// Add a scenario: `const team = await makeTeam({ branch: 'main' })`, then `team.planner`,
// `team.agent('a')`, and `sh(dir, 'agent-sessions ...')` with the expectations a user has.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { vi } from 'vitest';
import { git, PROJECT_ROOT } from '../helpers/repo.ts';
import { npmEnv } from '../helpers/child-env.ts';
import { makeTemp } from '../helpers/temp.ts';

// A scenario's setup packs, installs and clones, and every step starts npx and Node as a user
// would: on a loaded 2-core machine that is minutes, not the suite's 60 s default.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 600_000 });

export interface ShellResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON, when it is JSON. */
  json?: any;
}

const CACHE = join(PROJECT_ROOT, 'node_modules', '.cache', 'agent-sessions-scenarios');

/** PATH without any agent-sessions on it: the package is a devDependency, as in a real repo. */
function cleanPath(): string {
  return (process.env.PATH ?? '')
    .split(':')
    .filter((dir) => dir && !existsSync(join(dir, 'agent-sessions')) && !dir.includes('node_modules/.bin'))
    .join(':');
}

/** Runs one shell line with bash in `cwd`, like a user at a prompt (no agent-sessions on PATH). */
export function sh(cwd: string, line: string, env: NodeJS.ProcessEnv = {}): ShellResult {
  const result = spawnSync('bash', ['-c', line], {
    cwd,
    encoding: 'utf8',
    timeout: 180_000,
    env: { ...process.env, PATH: cleanPath(), SESSION_SLUG: '', npm_config_yes: 'false', ...env },
  });
  const out: ShellResult = { code: result.status ?? -1, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
  try {
    out.json = JSON.parse(out.stdout);
  } catch {
    /* not JSON */
  }
  return out;
}

/** Like sh(), but throws with the output when the line fails: for setup steps. */
export function must(cwd: string, line: string, env: NodeJS.ProcessEnv = {}): ShellResult {
  const result = sh(cwd, line, env);
  if (result.code !== 0) throw new Error(`\`${line}\` in ${cwd} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
  return result;
}

/** The CLI as a user in a devDependency project calls it (no PATH entry). */
export const AS = 'npx --no-install agent-sessions';

function packageHash(): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const file = join(dir, name);
      const stat = statSync(file);
      if (stat.isDirectory()) {
        if (name !== 'types') walk(file);
      } else {
        hash.update(file.slice(PROJECT_ROOT.length));
        hash.update(readFileSync(file));
      }
    }
  };
  for (const dir of ['dist', 'hooks', 'templates']) walk(join(PROJECT_ROOT, dir));
  hash.update(readFileSync(join(PROJECT_ROOT, 'package.json')));
  return hash.digest('hex').slice(0, 16);
}

/** Runs `make(tmp)` unless `done` exists; the result is renamed into place (atomic), so parallel workers agree. */
function once(done: string, make: (tmp: string) => void): string {
  if (existsSync(done)) return done;
  const tmp = `${done}.${process.pid}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    make(tmp);
    try {
      renameSync(tmp, done);
    } catch {
      /* another worker finished first: theirs is as good */
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return done;
}

let packed: { tarball: string; modules: string } | undefined;

/**
 * The packed tarball and a node_modules with it installed (`npm i -D <tarball>`), made once
 * per package content. Older caches are removed.
 */
export function installedPackage(): { tarball: string; modules: string } {
  if (packed) return packed;
  if (!existsSync(join(PROJECT_ROOT, 'dist', 'cli.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does) first');
  const key = packageHash();
  mkdirSync(CACHE, { recursive: true });
  for (const old of readdirSync(CACHE)) if (!old.startsWith(key)) rmSync(join(CACHE, old), { recursive: true, force: true });
  const dir = once(join(CACHE, key), (tmp) => {
    // --ignore-scripts: prepack would rebuild dist/ from scratch under running tests.
    const pack = spawnSync('npm', ['pack', '--ignore-scripts', '--pack-destination', tmp, '--json'], { cwd: PROJECT_ROOT, encoding: 'utf8', env: npmEnv() });
    if (pack.status !== 0) throw new Error(`npm pack failed: ${pack.stderr}`);
    const name = (JSON.parse(pack.stdout) as Array<{ filename: string }>)[0]!.filename;
    renameSync(join(tmp, name), join(tmp, 'agent-sessions.tgz'));
    const base = join(tmp, 'base');
    mkdirSync(base);
    writeFileSync(join(base, 'package.json'), '{ "name": "scenario-base", "private": true }\n');
    const install = spawnSync('npm', ['i', '-D', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', join(dirname(base), 'agent-sessions.tgz')], { cwd: base, encoding: 'utf8', env: npmEnv() });
    if (install.status !== 0) throw new Error(`npm i -D <tarball> failed: ${install.stderr}`);
  });
  packed = { tarball: join(dir, 'agent-sessions.tgz'), modules: join(dir, 'base', 'node_modules') };
  return packed;
}

/** Gives `dir` the installed package as `npm install` would (a hard-linked copy of the cached node_modules). */
export function installInto(dir: string): void {
  const { tarball, modules } = installedPackage();
  const pkgFile = join(dir, 'package.json');
  if (!existsSync(pkgFile)) {
    writeFileSync(pkgFile, `${JSON.stringify({ name: 'team-project', private: true, devDependencies: { 'agent-sessions': `file:${tarball}` } }, null, 2)}\n`);
  }
  must(dir, `cp -al '${modules}' node_modules`);
}

export interface Checkout {
  dir: string;
  name: string;
  sh(line: string, env?: NodeJS.ProcessEnv): ShellResult;
  must(line: string, env?: NodeJS.ProcessEnv): ShellResult;
  git(...args: string[]): string;
}

function checkout(dir: string, name: string): Checkout {
  return { dir, name, sh: (line, env) => sh(dir, line, env), must: (line, env) => must(dir, line, env), git: (...args) => git(dir, ...args) };
}

export interface Team {
  root: string;
  hub: string;
  branch: string;
  planner: Checkout;
  /** A new clone of the hub for an agent, with npm's install done and the hooks installed. */
  agent(name: string): Checkout;
  /** Slugs drafted and readied by the planner (pushed). */
  plan(...words: string[]): string[];
}

export interface TeamOptions {
  /** The branch the repository works on (git's default here is master). */
  branch?: string;
  /** Stop after creating the repository and hub: no install, no init (the adoption scenario). */
  bare?: boolean;
}

const DAY = '2026-01-15';

/**
 * A project with a bare hub: the planner's repository adopted agent-sessions as the README
 * says (install, init, commit what init wrote, push).
 */
export function makeTeam(options: TeamOptions = {}): Team {
  const branch = options.branch ?? 'main';
  const root = makeTemp('as-scenario-');
  const hub = join(root, 'hub.git');
  git(root, 'init', '-q', '--bare', '-b', branch, hub);
  const plannerDir = join(root, 'planner');
  git(root, 'init', '-q', '-b', branch, plannerDir);
  const planner = checkout(plannerDir, 'planner');
  planner.git('config', 'user.name', 'Pat Planner');
  planner.git('config', 'user.email', 'pat@example.test');
  writeFileSync(join(plannerDir, 'README.md'), '# a team project\n');
  planner.git('add', 'README.md');
  planner.git('commit', '-q', '-m', 'initial commit');
  planner.git('remote', 'add', 'origin', hub);
  planner.git('push', '-q', '-u', 'origin', branch);
  const team: Team = {
    root,
    hub,
    branch,
    planner,
    agent(name) {
      const dir = join(root, name);
      git(root, 'clone', '-q', hub, dir);
      git(dir, 'config', 'user.name', `Agent ${name}`);
      git(dir, 'config', 'user.email', `${name}@example.test`);
      installInto(dir);
      // what `npm install` runs after the install: the package.json prepare script
      must(dir, 'npm run --silent prepare');
      return checkout(dir, name);
    },
    plan(...words) {
      return words.map((w) => {
        const slug = `${DAY}-${w}`;
        planner.must(`${AS} new ${slug} --criteria "it works" --push && ${AS} ready ${slug} --push`);
        return slug;
      });
    },
  };
  if (options.bare) return team;
  installInto(plannerDir);
  const init = planner.must(`${AS} init`);
  // The README's adoption line: stage what init printed, nothing else.
  const add = /git add (.+?) && git commit/.exec(init.stdout)?.[1];
  if (!add) throw new Error(`init printed no git add line:\n${init.stdout}`);
  planner.must(`git add package.json ${add} && git commit -q -m "[maint] chore: adopt agent-sessions" && git push -q`);
  return team;
}

/** The hub's branch tip and the subjects of its last `count` commits. */
export function hubLog(team: Team, count = 5): string[] {
  return git(team.hub, 'log', `-${count}`, '--format=%s', team.branch).trim().split('\n');
}

/** The activation line a command printed (`Activate: <line>`). */
export function printedActivation(output: string): string {
  const line = /^Activate: (.+)$/m.exec(output)?.[1];
  if (!line) throw new Error(`no "Activate:" line in:\n${output}`);
  return line;
}
