// The pure half of talking to real servers: what git's stderr from each kind of server means,
// which credentials are hidden, and when prompts are switched off.
import { describe, expect, it } from 'vitest';
import { classifyHubFailure, noPromptUnlessInteractive, redactCredentials } from '../../src/remote.ts';

describe('redactCredentials', () => {
  it.each([
    ['https://alice:hunter2@github.com/o/r.git', 'https://***@github.com/o/r.git'],
    ['fatal: unable to access \'https://x-access-token:ghs_abc@github.com/o/r/\': 403', "fatal: unable to access 'https://***@github.com/o/r/': 403"],
    ['https://ghp_tokenonly@github.com/o/r', 'https://***@github.com/o/r'],
    ['"url": "http://u:p@127.0.0.1:8080/hub.git"', '"url": "http://***@127.0.0.1:8080/hub.git"'],
    ['ssh://git@host/x and https://a:b@c/d', 'ssh://***@host/x and https://***@c/d'],
    ['https://user:p@ssword@host/x', 'https://***@host/x'],
    ['https://user:s3cr"et@127.0.0.1:9/x.git', 'https://***@127.0.0.1:9/x.git'],
    ["https://user:tok'en@h/x", 'https://***@h/x'],
    ['https://user:t<k@h/x', 'https://***@h/x'],
  ])('%s', (input, expected) => expect(redactCredentials(input)).toBe(expected));

  it('leaves URLs without credentials and plain e-mail addresses alone', () => {
    for (const text of ['https://github.com/o/r.git', 'git@github.com:o/r.git', 'mail agent@example.test', '/srv/git/hub.git']) {
      expect(redactCredentials(text)).toBe(text);
    }
  });
});

describe('classifyHubFailure', () => {
  const cases: [string, string, 'hub-auth' | 'hub-protected'][] = [
    ['GitHub classic protection', 'remote: error: GH006: Protected branch update failed for refs/heads/main.', 'hub-protected'],
    ['GitHub rulesets', 'remote: error: GH013: Repository rule violations found for refs/heads/main.', 'hub-protected'],
    ['GitLab', 'remote: GitLab: You are not allowed to push code to protected branches on this project.', 'hub-protected'],
    ['Gitea', 'remote: error: Not allowed to push to protected branch main', 'hub-protected'],
    ['no prompt', "fatal: could not read Username for 'http://127.0.0.1:1234': terminal prompts disabled", 'hub-auth'],
    ['wrong password', "fatal: Authentication failed for 'http://127.0.0.1:1234/hub.git/'", 'hub-auth'],
    ['GitLab auth', 'remote: HTTP Basic: Access denied', 'hub-auth'],
    ['403', "fatal: unable to access 'https://h/r/': The requested URL returned error: 403", 'hub-auth'],
    ['ssh key', 'git@host: Permission denied (publickey).', 'hub-auth'],
  ];
  it.each(cases)('%s', (_name, stderr, code) => {
    const found = classifyHubFailure(stderr, 'origin', 'main');
    expect(found?.code).toBe(code);
    expect(found?.fix).toMatch(code === 'hub-auth' ? /credential helper/ : /`agent-sessions init --hub-mode refs && [^`]+`[\s\S]*`agent-sessions init --hub-mode integration && [^`]+`/);
  });

  it('says nothing of a lost race, a rule refusal or an unknown host', () => {
    for (const stderr of ['! [rejected] main -> main (fetch first)', 'remote: agent-sessions: push to refs/heads/main refused: 1 violation(s)', "fatal: unable to access 'http://x/': Could not resolve host: x"]) {
      expect(classifyHubFailure(stderr, 'origin', 'main')).toBeUndefined();
    }
  });

  it('hides credentials in what it quotes', () => {
    expect(classifyHubFailure("fatal: Authentication failed for 'https://u:pw@h/r'", 'origin', 'main')?.message).not.toContain('pw@');
  });
});

describe('noPromptUnlessInteractive', () => {
  it('switches prompts off when nobody is at a terminal, keeps a user\'s own setting, and leaves a terminal alone', () => {
    const env: NodeJS.ProcessEnv = {};
    noPromptUnlessInteractive(env, false);
    expect(env).toEqual({ GIT_TERMINAL_PROMPT: '0', GCM_INTERACTIVE: 'never' });
    const own: NodeJS.ProcessEnv = { GIT_TERMINAL_PROMPT: '1' };
    noPromptUnlessInteractive(own, false);
    expect(own.GIT_TERMINAL_PROMPT).toBe('1');
    const tty: NodeJS.ProcessEnv = {};
    noPromptUnlessInteractive(tty, true);
    expect(tty).toEqual({});
  });
});
