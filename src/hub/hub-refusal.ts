// The refusal a command reports when the hub turns a push down for another reason than a lost
// race; shared by the main-branch and claim-ref transactions.
import { RefusedError } from '../errors.ts';
import { classifyHubFailure } from '../remote.ts';
import type { HubTarget } from './transaction.ts';

/**
 * The hub refused a push for another reason than a lost race: a ref of the push that the hub
 * holds otherwise, a known hosting refusal (protected branch, credentials), or its hook's rule.
 * `unchanged` says what stayed as it was.
 */
export function hubRefusal(target: HubTarget, pushed: { detail: string; ref?: string | undefined }, unchanged: string): RefusedError {
  if (pushed.ref) {
    return new RefusedError('hub-ref-conflict', `the hub refused ${pushed.ref} (${pushed.detail}); ${unchanged}`, {
      fix: `look at the hub's ${pushed.ref.replace(/^refs\/heads\//, '')} and remove or rename it, then run the command again`,
      data: { detail: pushed.detail, ref: pushed.ref },
    });
  }
  const known = classifyHubFailure(pushed.detail, target.remote, target.mainBranch);
  if (known) return new RefusedError(known.code, known.message, { fix: known.fix });
  return new RefusedError('push-refused', `the hub refused the push: ${pushed.detail}`, {
    fix: "read the hub's message above (it names the rule and the fix), correct it and run the command again",
    data: { detail: pushed.detail },
  });
}
