// The lean path of the bin (src/cli/entry.ts -> dist/lean.cjs) for `next` and `claim <slug>`:
// which argv shapes take it, and that it answers exactly as the full commander CLI does
// (AGENT_SESSIONS_LEAN=0 forces the full CLI for the same argv). A guard bundle
// (dist/lean-guard.js) that is there but does not load leaves the call to the full CLI, which
// answers it the same way, with one line saying to reinstall: no stack trace, no exit 1.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { leanArgs } from '../src/cli/lean-args.ts';
import { agents, plannedHub } from './helpers/lifecycle.js';
import { CLI, PROJECT_ROOT, runCli, tempDir } from './helpers/repo.js';

describe('leanArgs', () => {
  it('takes the plain shapes of next and claim, with the options the full CLI builds', () => {
    expect(leanArgs(['next', '--claim', '--json'])).toEqual({ verb: 'next', options: { claim: true, json: true } });
    expect(leanArgs(['next', '--match=*-api', '--claim', '--agent-name', 'a b', '--agent-email', 'a@x.test', '--clone'])).toEqual({
      verb: 'next',
      options: { match: '*-api', claim: true, agentName: 'a b', agentEmail: 'a@x.test', clone: true },
    });
    expect(leanArgs(['-C', '/r', 'next'])).toEqual({ verb: 'next', options: { cwd: '/r' } });
    expect(leanArgs(['--cwd=/r', 'next', '--cwd', '/s'])).toEqual({ verb: 'next', options: { cwd: '/s' } });
    expect(leanArgs(['next', '-C', '/r', '--json'])).toEqual({ verb: 'next', options: { json: true, cwd: '/r' } });
    expect(leanArgs(['next', '--match', 'a', '--match', 'b', '--json', '--json'])).toEqual({ verb: 'next', options: { match: 'b', json: true } });
    expect(leanArgs(['-C', '', 'next'])).toEqual({ verb: 'next', options: {} });
    expect(leanArgs(['claim', '2025-01-01-x', '--json'])).toEqual({ verb: 'claim', options: { json: true, slug: '2025-01-01-x' } });
    expect(leanArgs(['claim', '--json', 'x', '--take-over', '--reason=gone'])).toEqual({ verb: 'claim', options: { json: true, takeOver: true, reason: 'gone', slug: 'x' } });
    expect(leanArgs(['next', '--match', ''])).toEqual({ verb: 'next', options: { match: '' } });
  });

  it('leaves everything else to commander: help, version, unknown, fused, missing or dash values, stray arguments', () => {
    for (const argv of [
      [],
      ['status'],
      ['--help'],
      ['-v'],
      ['next', '--help'],
      ['next', '-h'],
      ['claim', 'x', '--help'],
      ['next', '--claim=1'],
      ['next', '--no-claim'],
      ['next', '--clo'],
      ['next', 'extra'],
      ['next', '--match'],
      ['next', '--match', '-x'],
      ['next', '--match=-x'],
      ['next', '--reason', 'x'],
      ['next', '--take-over'],
      ['claim'],
      ['claim', 'a', 'b'],
      ['claim', '--', 'x'],
      ['claim', 'x', '--match', 'y'],
      ['claim', ''],
      ['-C'],
      ['-C', 'next'],
      ['-C/r', 'next'],
      ['next', '-C/r'],
      ['-C=/r', 'next'],
      ['--json', 'next'],
      ['next', '--claim', '--', '--json'],
    ]) {
      expect(leanArgs(argv), JSON.stringify(argv)).toBeUndefined();
    }
  });
});

/** The CLI run twice on the same argv, lean and full; `which` says which path the first took. */
function both(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const spy = `data:text/javascript,${encodeURIComponent(
    'import{createRequire}from"node:module";const r=createRequire("file:///lean-spy.js");process.on("exit",()=>process.stderr.write(Object.keys(r.cache).some((k)=>k.endsWith("lean.cjs"))?"[lean]":"[full]"))',
  )}`;
  const run = (extra: NodeJS.ProcessEnv) => {
    const r = spawnSync(process.execPath, ['--import', spy, CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, ...env, ...extra } });
    const which = r.stderr.endsWith('[lean]') ? 'lean' : 'full';
    return { code: r.status, stdout: r.stdout, stderr: r.stderr.replace(/\[(lean|full)\]$/, ''), which };
  };
  return { lean: run({}), full: run({ AGENT_SESSIONS_LEAN: '0' }) };
}

describe('the lean path answers as the full CLI does', () => {
  it('same exit code, stdout and stderr for refusals, usage errors and a look at the hub', () => {
    const { hub } = plannedHub(2);
    const [a] = agents(hub, 1);
    const outside = tempDir('as-lean-outside-');
    const cases: string[][] = [
      ['next'],
      ['next', '--json'],
      ['-C', a!.dir, 'next', '--json'],
      ['next', '--match', '*-task-2'],
      ['next', '--match', '*-none', '--json'],
      ['next', '--match', ''],
      ['next', '--agent-name', 'x'],
      ['next', '--clone', '--json'],
      ['claim', 'Not A Slug'],
      ['claim', 'not-a-slug', '--json'],
      ['claim', '2025-01-01-task-1', '--reason', 'why'],
      ['claim', '2025-01-09-nothing-here', '--json'],
      ['next', '--claim', '--agent-name', 'a', '--agent-email', 'bad<mail', '--json'],
      ['next', '--bogus'],
      ['next', '--claim', '--help'],
    ];
    for (const args of cases) {
      const { lean, full } = both(a!.dir, args);
      expect(full.which, args.join(' ')).toBe('full');
      expect(lean.which, args.join(' ')).toBe(args.includes('--bogus') || args.includes('--help') ? 'full' : 'lean');
      expect({ code: lean.code, stdout: lean.stdout, stderr: lean.stderr }, args.join(' ')).toEqual({ code: full.code, stdout: full.stdout, stderr: full.stderr });
    }
    const notRepo = both(outside, ['next', '--json']);
    expect(notRepo.lean.which).toBe('lean');
    expect(notRepo.lean.code).toBe(2);
    expect(notRepo.lean.stdout).toBe(notRepo.full.stdout);
  });

  it('claims the same way: two identical hubs, one claimed through each path', () => {
    const results = ['lean', 'full'].map((mode) => {
      const { hub } = plannedHub(2);
      const [a] = agents(hub, 1);
      const r = runCli(a!.dir, ['next', '--claim', '--json'], mode === 'full' ? { env: { AGENT_SESSIONS_LEAN: '0' } } : {});
      expect(r.code, r.stderr).toBe(0);
      // Paths and commit ids differ between the two hubs; the shape and every other value match.
      return JSON.parse(r.stdout.split(a!.dir).join('<agent>').replace(/\b[0-9a-f]{40}\b/g, '<sha>').replace(/\b[0-9a-f]{8}\b/g, '<short>'));
    });
    expect(results[0]).toEqual(results[1]);
    expect(results[0].claimed.slug).toBe('2025-01-01-task-1');
  });
});

describe('the guard takes its own lean bundle (dist/lean-guard.js) and answers as the full CLI does', () => {
  it('takes the plain shapes of guard; anything else goes to commander', () => {
    expect(leanArgs(['guard'])).toEqual({ verb: 'guard', options: {} });
    expect(leanArgs(['guard', '--agent', 'claude'])).toEqual({ verb: 'guard', options: { agent: 'claude' } });
    expect(leanArgs(['-C', '/r', 'guard', '--agent=codex', '--json'])).toEqual({ verb: 'guard', options: { agent: 'codex', json: true, cwd: '/r' } });
    for (const argv of [['guard', '--agent'], ['guard', '--agent', '-x'], ['guard', 'x'], ['guard', '--help'], ['guard', '--json=1'], ['guard', '--agents', 'claude']]) {
      expect(leanArgs(argv), JSON.stringify(argv)).toBeUndefined();
    }
  });

  it('same exit code, stdout and stderr for allowed, blocked, unreadable and unknown-agent calls', () => {
    const dir = tempDir('as-lean-guard-');
    const seen = join(dir, 'modules.txt');
    // Records every module the bin loads (a resolve hook, in the hooks' own thread): which path ran.
    const hook = `data:text/javascript,${encodeURIComponent(`import{appendFileSync}from"node:fs";export async function resolve(s,c,n){const r=await n(s,c);appendFileSync(${JSON.stringify(seen)},r.url+"\\n");return r}`)}`;
    const spy = `data:text/javascript,${encodeURIComponent(`import{register}from"node:module";register(${JSON.stringify(hook)});`)}`;
    const run = (args: string[], input: string, env: NodeJS.ProcessEnv) => {
      writeFileSync(seen, '');
      const r = spawnSync(process.execPath, ['--import', spy, CLI, ...args], { cwd: dir, input, encoding: 'utf8', env: { ...process.env, ...env } });
      return { code: r.status, stdout: r.stdout, stderr: r.stderr, lean: readFileSync(seen, 'utf8').includes('/dist/lean-guard.js') };
    };
    const call = (command: string) => JSON.stringify({ hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command }, cwd: dir });
    const cases: Array<[string[], string]> = [
      [['guard', '--agent', 'claude'], call('git status')],
      [['guard', '--agent', 'claude'], call('git add .')],
      [['guard'], call('git add -A && git commit -m x')],
      [['guard', '--json'], call('git add .')],
      [['guard', '--agent=codex'], call('git commit --no-verify -m x')],
      [['guard', '--agent', 'claude'], 'not json'],
      [['guard', '--agent', 'bogus'], call('ls')],
      [['-C', dir, 'guard', '--agent', 'cursor'], JSON.stringify({ hook_event_name: 'beforeShellExecution', command: 'git add .', cwd: dir })],
    ];
    for (const [args, input] of cases) {
      const lean = run(args, input, {});
      const full = run(args, input, { AGENT_SESSIONS_LEAN: '0' });
      const label = `${args.join(' ')} < ${input.slice(0, 60)}`;
      expect(lean.lean, label).toBe(true);
      expect(full.lean, label).toBe(false);
      expect({ code: lean.code, stdout: lean.stdout, stderr: lean.stderr }, label).toEqual({ code: full.code, stdout: full.stdout, stderr: full.stderr });
    }
    // The blocked call is blocked on both paths (not two identical mistakes).
    expect(run(['guard', '--agent', 'claude'], call('git add .'), {}).code).toBe(2);
  });
});

describe('a dist/lean-guard.js that does not load', () => {
  it.each([
    ['a syntax error', () => 'export const x = ;\n'],
    ['a throw when loaded', () => "throw new Error('boom');\n"],
    ['a file cut half-way', (whole: string) => whole.slice(0, Math.floor(whole.length / 2))],
  ])('%s: the full CLI judges the call, with one line saying what failed and to reinstall', (_label, corrupt) => {
    // The installed package's layout: package.json beside dist/; the bin run from the copy.
    const make = (broken: boolean) => {
      const root = tempDir('as-broken-guard-');
      cpSync(join(PROJECT_ROOT, 'dist'), join(root, 'dist'), { recursive: true });
      copyFileSync(join(PROJECT_ROOT, 'package.json'), join(root, 'package.json'));
      const bundle = join(root, 'dist', 'lean-guard.js');
      if (broken) writeFileSync(bundle, corrupt(readFileSync(bundle, 'utf8')));
      return { cli: join(root, 'dist', 'cli.js'), bundle };
    };
    const intact = make(false);
    const broken = make(true);
    const dir = tempDir('as-broken-guard-cwd-');
    const run = (cli: string, args: string[], input: string) => {
      const r = spawnSync(process.execPath, [cli, ...args], { cwd: dir, input, encoding: 'utf8' });
      return { code: r.status, stdout: r.stdout, stderr: r.stderr };
    };
    const call = (command: string) => JSON.stringify({ hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command }, cwd: dir });
    const cursor = JSON.stringify({ hook_event_name: 'beforeShellExecution', cursor_version: '2.0', workspace_roots: [dir], command: 'git add .', cwd: dir });
    const cases: Array<[string[], string]> = [
      [['guard', '--agent', 'claude'], call('git add .')],
      [['guard'], call('git status')],
      [['guard', '--json'], call('git commit --no-verify -m x')],
      [['guard', '--agent', 'cursor'], cursor],
    ];
    for (const [args, input] of cases) {
      const label = `${args.join(' ')} < ${input.slice(0, 60)}`;
      const good = run(intact.cli, args, input);
      const bad = run(broken.cli, args, input);
      expect({ code: bad.code, stdout: bad.stdout }, label).toEqual({ code: good.code, stdout: good.stdout });
      const [first, ...rest] = bad.stderr.split('\n');
      expect(first!.startsWith(`agent-sessions guard: ${broken.bundle} did not load (`), `${label}: ${first}`).toBe(true);
      expect(first, label).toMatch(/Error: .+\); the full CLI judges the call instead\. fix: reinstall agent-sessions \(`npm ci`\)$/);
      expect(rest.join('\n'), label).toBe(good.stderr);
      expect(bad.stderr, label).not.toMatch(/^\s+at .+:\d+/m);
    }
    // The blocked call stays blocked (exit 2), never the exit 1 that lets Claude Code run it.
    expect(run(broken.cli, ['guard', '--agent', 'claude'], call('git add -A')).code).toBe(2);
  });
});
