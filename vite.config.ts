import { defineConfig } from 'vitest/config';

// One config for the Cockpit UI bundle (src/ui → dist/ui) and for vitest.
export default defineConfig({
  root: 'src/ui',
  base: './',
  build: { outDir: '../../dist/ui', emptyOutDir: true },
  test: {
    root: '.',
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // 2 cores: integration tests start real containers and registries.
    pool: 'forks',
    maxWorkers: 2,
    // PatternFly's modules import their CSS: let vite transform them (component tests under test/ui).
    server: { deps: { inline: [/@patternfly\//] } },
  },
});
