// The rule index: every rule of agent-sessions, one module each. The engine receives this
// list and knows nothing else about rules.
import type { Rule } from '../src/engine/types.ts';
import { rule as attribution } from './attribution.ts';
import { rule as caseTwins } from './case-twins.ts';
import { rule as kbCanonical } from './kb-canonical.ts';
import { rule as lifecycle } from './lifecycle.ts';
import { rule as maintScope } from './maint-scope.ts';
import { rule as messageFormat } from './message-format.ts';
import { rule as noSymlinks } from './no-symlinks.ts';
import { rule as policyFiles } from './policy-files.ts';
import { rule as protectedState } from './protected-state.ts';
import { rule as regularFiles } from './regular-files.ts';
import { rule as sessionEnvInert } from './session-env-inert.ts';
import { rule as sessionFiles } from './session-files.ts';
import { rule as sessionIdentity } from './session-identity.ts';
import { rule as sessionMdReadonly } from './session-md-readonly.ts';
import { rule as stagedScope } from './staged-scope.ts';

export const rules: readonly Rule[] = [messageFormat, sessionMdReadonly, kbCanonical, stagedScope, lifecycle, attribution, protectedState, policyFiles, maintScope, sessionFiles, sessionIdentity, noSymlinks, regularFiles, caseTwins, sessionEnvInert];

export const ruleIds: readonly string[] = rules.map((rule) => rule.meta.id);
