// Run by test/temp-cleanup.test.ts in its own vitest process with TMPDIR pointing at an empty
// folder: it makes what tests usually make (a repo, a hub, an agent clone, a CLI run).
import { expect, it } from 'vitest';
import { cloneAgent, makeHub, makeRepo } from '../helpers/repo.ts';

it('makes temp folders like a real test', () => {
  const planner = makeRepo();
  const hub = makeHub(planner);
  const agent = cloneAgent(hub, 'probe');
  expect(agent.cli(['status', '--json']).code).toBe(0);
});
