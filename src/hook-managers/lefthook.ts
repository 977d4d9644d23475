// lefthook: our checks become one command per hook in the team's lefthook config, and
// `lefthook install` (lefthook's own installer) writes .git/hooks. The YAML is edited as a
// document (comments, order and the team's commands stay as they were); a second run finds
// our commands and changes no byte.
import { safeWriteFile } from '../safe-fs.ts';
import { join } from 'node:path';
import { RefusedError } from '../errors.ts';
import { CLIENT_HOOKS, ENTRY_MARK, HOOK_ARGS, runnerWord, type ClientHook } from './entries.ts';
import { parseConfigDocument, plainMapAt } from './yaml-shape.ts';

/** The lefthook command for one hook: `{1}`.. are git's arguments; pre-push reads stdin. */
export function lefthookCommand(hook: ClientHook, runner: string): Record<string, unknown> {
  const args = Array.from({ length: HOOK_ARGS[hook] }, (_, i) => ` {${i + 1}}`).join('');
  return { run: `sh ${runnerWord(runner)} ${hook}${args}`, ...(hook === 'pre-push' ? { use_stdin: true } : {}) };
}

export function lefthookSnippet(runner: string): string {
  const lines: string[] = [];
  for (const hook of CLIENT_HOOKS) {
    const cmd = lefthookCommand(hook, runner);
    lines.push(`${hook}:`, '  commands:', `    ${ENTRY_MARK}:`, `      run: ${String(cmd.run)}`);
    if (cmd.use_stdin) lines.push('      use_stdin: true');
  }
  return `${lines.join('\n')}\n`;
}

/** Adds our commands to the lefthook config at `top/file`; returns whether it changed. */
export function addToLefthook(top: string, file: string, runner: string): boolean {
  if (!/\.ya?ml$/.test(file)) {
    throw new RefusedError('hook-manager-config', `${file} is not YAML; agent-sessions edits only lefthook.yml / lefthook.yaml`, {
      fix: `add these commands to ${file} by hand (shown here as YAML), then run \`npx lefthook install\`:\n${lefthookSnippet(runner)}`,
    });
  }
  const path = join(top, file);
  const fix = `write the hooks and their \`commands\` in ${file} as plain mappings (no alias, no \`<<:\` merge) and run \`agent-sessions install-hooks\` again, or add these commands by hand, then run \`npx lefthook install\`:\n${lefthookSnippet(runner)}`;
  const doc = parseConfigDocument(top, file, fix);
  // Every part we may edit is checked before anything changes.
  for (const hook of CLIENT_HOOKS) if (plainMapAt(doc, [hook], file, fix)) plainMapAt(doc, [hook, 'commands'], file, fix);
  let changed = false;
  for (const hook of CLIENT_HOOKS) {
    const want = lefthookCommand(hook, runner);
    const current = doc.getIn([hook, 'commands', ENTRY_MARK]);
    const currentJs = current && typeof current === 'object' && 'toJSON' in current ? (current as { toJSON(): unknown }).toJSON() : current;
    if (JSON.stringify(currentJs) === JSON.stringify(want)) continue;
    if (!plainMapAt(doc, [hook], file, fix)) doc.setIn([hook], doc.createNode({ commands: {} }));
    if (!plainMapAt(doc, [hook, 'commands'], file, fix)) doc.setIn([hook, 'commands'], doc.createNode({}));
    doc.setIn([hook, 'commands', ENTRY_MARK], doc.createNode(want));
    changed = true;
  }
  if (changed) safeWriteFile(top, path, doc.toString({ lineWidth: 0 }));
  return changed;
}
