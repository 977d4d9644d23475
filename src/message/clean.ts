// The commit message as git will store it, from the file git hands commit-msg: a leading BOM,
// CRLF line ends, everything below the scissors line of `commit -v`, comment lines (with the
// configured core.commentChar), trailing spaces, runs of blank lines and blank edges removed
// (git's default "strip" cleanup). Pure; reading core.commentChar is done apart, cheaply.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const SCISSORS = '------------------------ >8 ------------------------';

export function cleanMessage(raw: string, commentChar = '#'): string {
  let text = raw.startsWith('\uFEFF') ? raw.slice(1) : raw;
  text = text.replace(/\r\n?/g, '\n');
  const lines = text.split('\n');
  const kept: string[] = [];
  for (const line of lines) {
    if (commentChar && line.startsWith(`${commentChar} ${SCISSORS}`)) break;
    if (commentChar && line.startsWith(commentChar)) continue;
    kept.push(line.replace(/[ \t]+$/, ''));
  }
  const out: string[] = [];
  for (const line of kept) {
    if (line === '' && (out.length === 0 || out[out.length - 1] === '')) continue;
    out.push(line);
  }
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out.join('\n');
}

/**
 * core.commentChar without spawning git: the last value found in the global config, the
 * repository's common config and the worktree's config (later files win, as in git).
 * `auto` and anything unreadable fall back to '#'. Includes are not followed.
 */
export function readCommentChar(gitDir: string, commonDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const files: string[] = [];
  if (env.GIT_CONFIG_NOSYSTEM !== '1') files.push('/etc/gitconfig');
  const xdg = env.XDG_CONFIG_HOME ? join(env.XDG_CONFIG_HOME, 'git', 'config') : join(homedir(), '.config', 'git', 'config');
  files.push(xdg, env.GIT_CONFIG_GLOBAL ?? join(homedir(), '.gitconfig'), join(commonDir, 'config'), join(gitDir, 'config.worktree'));
  let value: string | undefined;
  for (const file of files) {
    if (!existsSync(file)) continue;
    let section = '';
    for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
      const head = /^\s*\[([^\]\s"]+)/.exec(line);
      if (head) section = head[1]!.toLowerCase();
      const entry = /^\s*(?:\[[^\]]*\]\s*)?commentchar\s*=\s*(.*?)\s*$/i.exec(line);
      if (entry && section === 'core') value = entry[1]!.replace(/^"(.*)"$/, '$1');
    }
  }
  if (env.GIT_CONFIG_PARAMETERS) {
    const param = /'core\.commentchar'='([^']*)'/i.exec(env.GIT_CONFIG_PARAMETERS);
    if (param) value = param[1];
  }
  if (!value || value === 'auto') return '#';
  return value;
}
