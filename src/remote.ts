// Talking to a hub behind a real server: never a prompt that waits, an auth failure or a
// protected branch told apart from a rule's refusal, and no credential ever printed.
//   - GIT_TERMINAL_PROMPT=0 (and Git Credential Manager's GCM_INTERACTIVE=never) when nobody
//     is at a terminal to answer: a claim in an agent's shell fails in a second with a fix,
//     where git would otherwise wait forever at `Username for 'https://…':`.
//   - classifyHubFailure reads git's stderr for the signs each server gives.
//   - redactCredentials hides `user:password@` in any text we print or put in JSON.

/** Sets the no-prompt variables when stdin or stderr is not a terminal; a user's own setting wins. */
export function noPromptUnlessInteractive(env: NodeJS.ProcessEnv = process.env, interactive = Boolean(process.stdin.isTTY && process.stderr.isTTY)): void {
  if (interactive) return;
  env.GIT_TERMINAL_PROMPT ??= '0';
  env.GCM_INTERACTIVE ??= 'never';
}

// Everything between the scheme and the LAST @ before the host's end (a password may hold @,
// quotes or spaces-free punctuation of any kind).
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#]*@/gi;

/** `https://user:token@host/x` -> `https://***@host/x`, everywhere in `text`. */
export function redactCredentials(text: string): string {
  return text.replace(URL_CREDENTIALS, '$1***@');
}

export interface HubFailure {
  code: 'hub-auth' | 'hub-protected';
  message: string;
  fix: string;
}

const AUTH_SIGNS = [
  /terminal prompts disabled/i,
  /could not read (Username|Password)/i,
  /Authentication failed/i,
  /HTTP Basic: Access denied/i,
  /returned error: 40[13]\b/i,
  /\b401 Unauthorized\b/i,
  /Permission denied \(publickey/i,
  /Invalid username or (password|token)/i,
];

const PROTECTED_SIGNS = [
  /GH006: Protected branch update failed/i,
  /GH013: Repository rule violations/i,
  /You are not allowed to push code to protected branches/i,
  /You are not allowed to force push code to a protected branch/i,
  /Not allowed to push to protected branch/i, // Gitea, Forgejo
];

/**
 * The commands that switch to a hub mode that never pushes to `branch`, each one line that
 * works when copied from a checkout of `branch` with a clean working tree.
 */
export function protectedFix(remote: string, branch: string): string {
  const refs = `agent-sessions init --hub-mode refs && git switch -c agent-sessions/hub-mode && git commit -m "[maint] chore: agent-sessions hub mode refs" agent-sessions.config.json && git push ${remote} HEAD:refs/heads/agent-sessions/hub-mode`;
  const integration = `agent-sessions init --hub-mode integration && git switch -c agents && git commit -m "[maint] chore: agent-sessions hub mode integration" agent-sessions.config.json && git push ${remote} HEAD:refs/heads/agents`;
  return `choose a hub mode that never pushes to ${branch} (docs/hosting.md, "Hub modes"). refs: claims kept under refs/agent-sessions/, each completion a pull request into ${branch}; run \`${refs}\` and merge that pull request into ${branch}. Or integration: transitions on an unprotected agents branch, merged into ${branch} by pull requests; run \`${integration}\` and work from agents`;
}

/** What a failed fetch or push says about the hub, when it is an auth or protection problem. */
export function classifyHubFailure(stderr: string, remote: string, branch: string): HubFailure | undefined {
  const text = redactCredentials(stderr);
  const last = text.trim().split('\n').filter(Boolean).slice(-2).join(' / ');
  if (PROTECTED_SIGNS.some((sign) => sign.test(text))) {
    return {
      code: 'hub-protected',
      message: `the hub protects ${branch} and refused a direct push: ${last}`,
      fix: protectedFix(remote, branch),
    };
  }
  if (AUTH_SIGNS.some((sign) => sign.test(text))) {
    return {
      code: 'hub-auth',
      message: `the hub "${remote}" asked for credentials and none could be given without a prompt: ${last}`,
      fix: `set up a credential helper for the hub (e.g. \`git config --global credential.helper store\` and one \`git ls-remote ${remote}\` at a terminal, or your forge's token / SSH key), check with \`GIT_TERMINAL_PROMPT=0 git ls-remote ${remote}\`, then run the command again`,
    };
  }
  return undefined;
}
