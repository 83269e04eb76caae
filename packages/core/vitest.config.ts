import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // The CLI tests start child processes; on a loaded 2-core CI machine that takes seconds.
    testTimeout: 30000,
    // `vitest run` also type-checks the *.test-d.ts files with tsc (expectTypeOf, @ts-expect-error).
    typecheck: { enabled: true, include: ['src/**/*.test-d.ts'] },
  },
})
