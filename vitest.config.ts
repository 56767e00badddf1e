import { defineConfig } from 'vitest/config';

export default defineConfig({
  define: { __TRAINYARD_VERSION__: JSON.stringify('0.0.0-test') },
  test: {
    include: ['eslint/**/*.test.ts', 'shared/**/*.test.ts', 'main/**/*.test.ts', 'workers/**/*.test.ts', 'renderer/**/*.test.{ts,tsx}', 'bench/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    globalSetup: ['scripts/vitest-global-setup.ts'],
  },
});
