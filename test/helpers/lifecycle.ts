// Fixtures for lifecycle tests: a planner repo with N planned sessions pushed to a bare hub.
import { cloneAgent, makeHub, makeRepo, type Repo } from './repo.js';

export interface PlannedHub {
  planner: Repo;
  hub: string;
  slugs: string[];
}

/** Slugs 2025-01-<day>-<word>, oldest first. */
export function plannedSlugs(count: number, word = 'task'): string[] {
  return Array.from({ length: count }, (_, i) => `2025-01-${String(i + 1).padStart(2, '0')}-${word}-${i + 1}`);
}

export function plannedHub(count = 1, slugs: string[] = plannedSlugs(count)): PlannedHub {
  const planner = makeRepo();
  for (const slug of slugs) {
    const made = planner.cli(['new', slug, '--criteria', 'it works']);
    if (made.code !== 0) throw new Error(`new failed: ${made.stderr}`);
    const ready = planner.cli(['ready', slug]);
    if (ready.code !== 0) throw new Error(`ready failed: ${ready.stderr}`);
  }
  const hub = makeHub(planner);
  return { planner, hub, slugs };
}

export function agents(hub: string, count: number): Repo[] {
  return Array.from({ length: count }, (_, i) => cloneAgent(hub, `agent-${i + 1}`));
}
