// When the guard fails after reading the payload (a bug in the policy, a parser that throws),
// every agent still gets a block in its own protocol: never the exit 1 that Claude Code, Codex,
// Gemini CLI and Windsurf take for a non-blocking error, never the missing JSON decision that
// Copilot and Cline take for "go". The failures are real code failing in a real install: copies
// of the package whose policy throws (judgeCall, in the lean bundle and in the full CLI's chunk)
// or whose grammar file is the wrong WebAssembly module, run as the agents run them: a child
// process with the payload on stdin. An unknown --agent (a typo in the hook's command) is blocked
// in the protocol of the agent whose shape the payload has.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, PROJECT_ROOT, tempDir } from '../helpers/repo.ts';
import { agentPayloads, PROTOCOLS } from './protocols.ts';

// What a policy bug looks like: a TypeError from deep inside the judging.
const POLICY_BUG = `throw new TypeError("Cannot read properties of undefined (reading 'kind')");`;

/** A copy of the package as installed: package.json beside dist/. Its dist/ and its bin. */
function installedCopy(prefix: string): { dist: string; cli: string } {
  const root = tempDir(prefix);
  cpSync(join(PROJECT_ROOT, 'dist'), join(root, 'dist'), { recursive: true });
  copyFileSync(join(PROJECT_ROOT, 'package.json'), join(root, 'package.json'));
  return { dist: join(root, 'dist'), cli: join(root, 'dist', 'cli.js') };
}

/** The bin of a copy of the package whose policy throws on every call. */
function installWithBrokenPolicy(): string {
  const { dist, cli } = installedCopy('as-broken-policy-');
  const patched: string[] = [];
  for (const file of readdirSync(dist).filter((name) => name.endsWith('.js'))) {
    const path = join(dist, file);
    const code = readFileSync(path, 'utf8');
    const broken = code.replace(/function judgeCall\([^)]*\)\s*\{/, (head) => `${head}${POLICY_BUG}`);
    if (broken === code) continue;
    writeFileSync(path, broken);
    patched.push(file);
  }
  // The lean bundle, and the chunk the full CLI loads for `guard`.
  expect(patched).toContain('lean-guard.js');
  expect(patched.length).toBeGreaterThanOrEqual(2);
  return cli;
}

/** The bin of a copy whose bash grammar is another WebAssembly module: it compiles, but holds no language. */
function installWithWrongGrammar(): string {
  const { dist, cli } = installedCopy('as-wrong-grammar-');
  copyFileSync(join(dist, 'web-tree-sitter.wasm'), join(dist, 'tree-sitter-bash.wasm'));
  return cli;
}

const brokenCli = installWithBrokenPolicy();
const dir = tempDir('as-fail-closed-cwd-');
const payloads = agentPayloads(dir);
const run = (cli: string, args: string[], payload: object | string, env: NodeJS.ProcessEnv = {}) => {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: dir, input: typeof payload === 'string' ? payload : JSON.stringify(payload), encoding: 'utf8', env: { ...process.env, ...env } });
  return { stdout: r.stdout, stderr: r.stderr, exitCode: r.status ?? -1 };
};

describe.each([
  ['the lean bundle', {}],
  ['the full CLI', { AGENT_SESSIONS_LEAN: '0' }],
])('a policy that throws, run from %s', (_path, env) => {
  it.each(Object.keys(PROTOCOLS))('--agent %s: an allowed call is blocked in its protocol, naming the internal error and the fix', (agent) => {
    for (const payload of [payloads[agent]!.shell('git status'), payloads[agent]!.write('notes.md')]) {
      const reply = run(brokenCli, ['guard', '--agent', agent], payload, env);
      const label = `${agent}: ${JSON.stringify(reply)}`;
      PROTOCOLS[agent]!.blocked(reply);
      const said = PROTOCOLS[agent]!.told(reply);
      expect(said, label).toMatch(/internal error in the guard \(TypeError: Cannot read properties of undefined \(reading 'kind'\)\): the call could not be judged, so it is blocked/);
      expect(said, label).toMatch(/reinstall agent-sessions \(`npm ci`\) and run `agent-sessions doctor`.*AGENT_SESSIONS=0/);
      expect(reply.stderr, label).not.toMatch(/^\s+at /m);
    }
  });
});

describe('a policy that throws', () => {
  it('without --agent: blocked in the protocol of the agent the payload names', () => {
    PROTOCOLS.cline!.blocked(run(brokenCli, ['guard'], payloads.cline!.shell('ls')));
    PROTOCOLS.claude!.blocked(run(brokenCli, ['guard'], payloads.claude!.shell('ls')));
  });
  it('AGENT_SESSIONS_DEBUG=1 adds the stack on stderr', () => {
    const reply = run(brokenCli, ['guard', '--agent', 'cursor'], payloads.cursor!.shell('ls'), { AGENT_SESSIONS_DEBUG: '1' });
    PROTOCOLS.cursor!.blocked(reply);
    expect(reply.stderr).toMatch(/^TypeError: Cannot read properties of undefined \(reading 'kind'\)\n\s+at judgeCall /);
  });
});

describe('a grammar file that is the wrong WebAssembly module', () => {
  const cli = installWithWrongGrammar();
  // web-tree-sitter lists the module's symbols with console.log: on stdout, that list made the
  // JSON answer unreadable, which Copilot and Cline take for "go".
  it.each(Object.keys(PROTOCOLS))('--agent %s: a shell call is blocked saying the parser did not load, a file write allowed; stdout holds the answer only', (agent) => {
    const shell = run(cli, ['guard', '--agent', agent], payloads[agent]!.shell('git status'));
    PROTOCOLS[agent]!.blocked(shell);
    expect(PROTOCOLS[agent]!.told(shell)).toMatch(/the shell parser did not load \(.+\): every shell command is blocked until it does/);
    expect(shell.stderr).not.toMatch(/Symbols|__wasm_call_ctors/);
    PROTOCOLS[agent]!.allowed(run(cli, ['guard', '--agent', agent], payloads[agent]!.write('notes.md')));
  });
  it('the full CLI too', () => {
    PROTOCOLS.cline!.blocked(run(cli, ['guard', '--agent', 'cline'], payloads.cline!.shell('git status'), { AGENT_SESSIONS_LEAN: '0' }));
  });
});

describe('an unknown --agent', () => {
  it.each([
    ['curser', 'cursor'],
    ['clin', 'cline'],
    ['copilot-cli', 'copilot'],
    ['claude-code', 'claude'],
    ['gemini-cli', 'gemini'],
  ])('--agent %s with a %s payload: blocked in that agent\'s protocol, the fix names its --agent', (typo, agent) => {
    const reply = run(CLI, ['guard', '--agent', typo], payloads[agent]!.shell('git status'));
    PROTOCOLS[agent]!.blocked(reply);
    const said = PROTOCOLS[agent]!.told(reply);
    expect(said).toContain(`guard does not speak the hook protocol of "${typo}"`);
    expect(said).toContain(`the payload has the shape of`);
    expect(said).toContain(`\`agent-sessions guard --agent ${agent}\``);
  });
  it('with a payload of no known shape: a usage error (exit 2) listing the agents', () => {
    const reply = run(CLI, ['guard', '--agent', 'curser'], '{}');
    expect(reply.exitCode).toBe(2);
    expect(reply.stderr).toMatch(/guard does not speak the hook protocol of "curser"\n {2}fix: use --agent claude\|codex\|/);
  });
});

// Node gives a folder on stdin as empty input (a closed stdin is /dev/null to it): the guard
// answers what it read, nothing, with a block; a read that throws is blocked the same way
// (src/commands/guard.ts), never an exit 1.
describe('a tool call that cannot be read from stdin (stdin is a folder)', () => {
  const fromFolder = (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const r = spawnSync('sh', ['-c', `exec "$0" "$@" < /`, process.execPath, CLI, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env } });
    return { stdout: r.stdout, stderr: r.stderr, exitCode: r.status ?? -1 };
  };
  it.each(['cursor', 'cline', 'claude'])('--agent %s: blocked in its protocol, saying what it could not read', (agent) => {
    for (const env of [{}, { AGENT_SESSIONS_LEAN: '0' }]) {
      const reply = fromFolder(['guard', '--agent', agent], env);
      PROTOCOLS[agent]!.blocked(reply);
      expect(PROTOCOLS[agent]!.told(reply)).toMatch(/cannot read the .+ tool call|cannot read the tool call on stdin/);
    }
  });
  it('without --agent: blocked as Claude Code blocks (exit 2), which every exit-code agent reads as a block', () => {
    const reply = fromFolder(['guard']);
    expect(reply.exitCode).toBe(2);
    expect(reply.stderr).toMatch(/cannot read the .+ tool call|cannot read the tool call on stdin/);
  });
});

describe('AGENT_SESSIONS=0 (guard off) without --agent', () => {
  it.each(Object.keys(PROTOCOLS))('a %s payload is allowed in its own protocol', (agent) => {
    PROTOCOLS[agent]!.allowed(run(CLI, ['guard'], payloads[agent]!.shell('git push --force origin main'), { AGENT_SESSIONS: '0' }));
  });
});
