// The rule index: every rule of agent-sessions, one module each. The engine receives this
// list and knows nothing else about rules.
import type { Rule } from '../src/engine/types.ts';

export const rules: readonly Rule[] = [];

export const ruleIds: readonly string[] = rules.map((rule) => rule.meta.id);
