// commit-msg <file>: judges the message (cleaned as git will store it) together with the
// staged changes, for the rules whose answer depends on the message (format, OVERRIDE).
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { commonDirOf, gitDirOf } from '../git.ts';
import { cleanMessage, readCommentChar } from '../message/clean.ts';
import { hookTop, runCommitHook } from './commit-time.ts';

export async function run(args: readonly string[]): Promise<number> {
  const top = hookTop();
  const file = args[0];
  if (!file) {
    process.stderr.write('agent-sessions commit-msg: no message file given (git passes it as the first argument)\n');
    return 2;
  }
  let raw: string;
  try {
    raw = readFileSync(isAbsolute(file) ? file : join(top, file), 'utf8');
  } catch (err) {
    process.stderr.write(`agent-sessions commit-msg: cannot read the message file ${file}: ${(err as Error).message.split('\n')[0]}\n`);
    return 1;
  }
  const gitDir = gitDirOf(top);
  const message = cleanMessage(raw, readCommentChar(gitDir, commonDirOf(gitDir)));
  return runCommitHook({ hook: 'commit-msg', top, message });
}
