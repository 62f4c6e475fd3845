/**
 * vitest global setup: starts the shared fixtures (registries with the fixture images pushed by
 * skopeo) once per test run, provides their connection info to tests as inject('fixtures') (see
 * test/fixtures/inject.ts for a checked accessor), and stops them at the end.
 *
 * SELKIE_FIXTURES=minimal skips the big image; SELKIE_FIXTURES=none starts nothing. A run whose file
 * filters all point into test/unit/ (e.g. `npm run test:unit`) starts nothing either.
 */
import type { TestProject } from 'vitest/node';
import { type FixtureInfo, fixtureModeFromEnv, startFixtures, stopFixtures } from './fixtures/index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    fixtures: FixtureInfo;
  }
}

/** True when the run's file filters (vitest internals; absent means "everything") are all unit tests. */
function onlyUnitTests(project: TestProject): boolean {
  const filters = (project.vitest as unknown as { filenamePattern?: unknown }).filenamePattern;
  if (!Array.isArray(filters) || filters.length === 0) return false;
  return filters.every((f) => typeof f === 'string' && /^(\.\/)?test\/unit(\/|$)/.test(f));
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (fixtureModeFromEnv() === 'none' || onlyUnitTests(project)) return async () => {};
  const info = await startFixtures({ log: (msg) => process.stderr.write(`[fixtures] ${msg}\n`) });
  project.provide('fixtures', info);
  return async () => {
    await stopFixtures();
  };
}
