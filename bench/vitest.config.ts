/** Vitest for the bench workspace: only the contender check, never the benchmark itself. */
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['servers.test.ts'],
    testTimeout: 10_000,
    hookTimeout: 20_000,
  },
})
