// The rule index: every rule of agent-sessions, one module each. The engine receives this
// list and knows nothing else about rules.
import type { Rule } from '../src/engine/types.ts';
import { rule as attribution } from './attribution.ts';
import { rule as lifecycle } from './lifecycle.ts';

export const rules: readonly Rule[] = [lifecycle, attribution];

export const ruleIds: readonly string[] = rules.map((rule) => rule.meta.id);
