// A hook manager's YAML config is repository data in any shape: the parts agent-sessions
// edits (the top mapping, a hook's mapping, its `commands`, pre-commit's `repos`) must be
// plain mappings or lists. An alias there would be edited through (changing what else points
// at it), a `<<:` merge key would be overridden by the key we add (silently dropping the
// team's hooks that came through it), a scalar or list cannot hold our entry: each is bad
// input (exit 2) that says what is wrong and what to do, never an "internal error" line.
import { isAlias, isMap, isScalar, parseDocument, YAMLMap, type Document, type Node } from 'yaml';
import { UsageError } from '../errors.ts';
import { readManagerConfig } from './read-config.ts';

export function badShape(file: string, what: string, fix: string): UsageError {
  return new UsageError('bad-hook-manager-config', `${file}: ${what}`, { fix });
}

function hasMergeKey(map: YAMLMap): boolean {
  return map.items.some((pair) => isScalar(pair.key) && pair.key.value === '<<');
}

/** The document, its top a plain mapping (an empty file becomes one). */
export function parseConfigDocument(top: string, file: string, fix: string): Document {
  const doc = parseDocument(readManagerConfig(top, file));
  if (doc.errors.length > 0) throw badShape(file, `does not parse as YAML: ${doc.errors[0]!.message.split('\n')[0]}`, fix);
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) doc.contents = new YAMLMap() as never;
  if (isAlias(doc.contents)) throw badShape(file, 'the whole document is a YAML alias', fix);
  if (!isMap(doc.contents)) throw badShape(file, 'is not a YAML mapping at the top', fix);
  if (hasMergeKey(doc.contents)) throw badShape(file, 'has a `<<:` merge key at the top (a key agent-sessions adds would override what it merges in)', fix);
  return doc;
}

/**
 * The node at `path` when it is a plain mapping, undefined when it is absent or empty (null);
 * an alias, a merge key inside it, a scalar or a list is refused.
 */
export function plainMapAt(doc: Document, path: readonly string[], file: string, fix: string): YAMLMap | undefined {
  const node = doc.getIn(path, true) as Node | null | undefined;
  if (node === undefined || node === null || (isScalar(node) && node.value === null)) return undefined;
  const where = path.join('.');
  if (isAlias(node)) throw badShape(file, `"${where}" is a YAML alias (*${node.source}); agent-sessions does not edit through one`, fix);
  if (!isMap(node)) throw badShape(file, `"${where}" is not a mapping`, fix);
  if (hasMergeKey(node)) throw badShape(file, `"${where}" has a \`<<:\` merge key (a key agent-sessions adds would override what it merges in)`, fix);
  return node;
}
