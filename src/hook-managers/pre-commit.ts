// pre-commit (and prek, which reads the same file): our checks become `local` hooks in the
// team's .pre-commit-config.yaml, one per git hook (its "stages"), and `pre-commit install`
// with those hook types writes .git/hooks. pre-commit hands a hook no stdin and names the
// refs in PRE_COMMIT_* variables instead, so the pre-push and post-checkout entries rebuild
// git's arguments from them. The YAML is edited as a document; a second run changes nothing.
import { safeWriteFile } from '../safe-fs.ts';
import { join } from 'node:path';
import { isAlias, isMap, isScalar, isSeq, YAMLMap, YAMLSeq, type Node } from 'yaml';
import { CLIENT_HOOKS, ENTRY_MARK, runnerWord, type ClientHook } from './entries.ts';
import { badShape, parseConfigDocument } from './yaml-shape.ts';

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The `local` hook entry for one git hook. */
export function preCommitHook(hook: ClientHook, runner: string): Record<string, unknown> {
  // pre-commit runs an entry without a shell: each is `sh -c '<script>' --`, the file name
  // (commit-msg, prepare-commit-msg) arriving as $1.
  const run = `sh ${runnerWord(runner)} ${hook}`;
  const scripts: Record<ClientHook, string> = {
    'commit-msg': `${run} "$1"`,
    'prepare-commit-msg': `${run} "$1" "\${PRE_COMMIT_COMMIT_MSG_SOURCE-}" "\${PRE_COMMIT_COMMIT_OBJECT_NAME-}"`,
    'pre-commit': run,
    'pre-push': `printf '%s %s %s %s\\n' "$PRE_COMMIT_LOCAL_BRANCH" "$PRE_COMMIT_TO_REF" "$PRE_COMMIT_REMOTE_BRANCH" "$PRE_COMMIT_FROM_REF" | ${run} "$PRE_COMMIT_REMOTE_NAME" "$PRE_COMMIT_REMOTE_URL"`,
    'post-checkout': `${run} "$PRE_COMMIT_FROM_REF" "$PRE_COMMIT_TO_REF" "$PRE_COMMIT_CHECKOUT_TYPE"`,
    'post-merge': `${run} "\${PRE_COMMIT_IS_SQUASH_MERGE-0}"`,
    'post-rewrite': `${run} "$PRE_COMMIT_REWRITE_COMMAND"`,
  };
  const passFilenames = hook === 'commit-msg' || hook === 'prepare-commit-msg';
  return {
    id: `${ENTRY_MARK}-${hook}`,
    name: `agent-sessions ${hook}`,
    entry: `sh -c ${shellQuote(scripts[hook])} --`,
    language: 'system',
    stages: [hook],
    pass_filenames: passFilenames,
    always_run: true,
  };
}

/** The hook types `pre-commit install --hook-type ...` must install for ours to run. */
export const PRE_COMMIT_INSTALL_ARGS = CLIENT_HOOKS.flatMap((hook) => ['--hook-type', hook]);

/** Adds our local hooks to the pre-commit config at `top/file`; returns whether it changed. */
export function addToPreCommit(top: string, file: string, runner: string): boolean {
  const path = join(top, file);
  const fix = `write ${file} as a mapping whose "repos" is a plain list (no alias, no \`<<:\` merge), then run \`agent-sessions install-hooks\``;
  const doc = parseConfigDocument(top, file, fix);
  const current = doc.get('repos', true) as Node | null | undefined;
  if (current === undefined || current === null || (isScalar(current) && current.value === null)) doc.set('repos', new YAMLSeq());
  const repos = doc.get('repos', true);
  if (isAlias(repos)) throw badShape(file, `"repos" is a YAML alias; agent-sessions does not edit through one`, fix);
  if (!isSeq(repos)) throw badShape(file, '"repos" is not a list', fix);
  const want = { repo: 'local', hooks: CLIENT_HOOKS.map((hook) => preCommitHook(hook, runner)) };
  const index = repos.items.findIndex((item) => isMap(item) && item.get('repo') === 'local' && JSON.stringify(item.toJSON()).includes(`"${ENTRY_MARK}-commit-msg"`));
  if (index !== -1 && JSON.stringify((repos.items[index] as YAMLMap).toJSON()) === JSON.stringify(want)) return false;
  const node = doc.createNode(want);
  if (index === -1) repos.items.push(node);
  else repos.items[index] = node;
  safeWriteFile(top, path, doc.toString({ lineWidth: 0 }));
  return true;
}
