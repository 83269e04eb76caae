import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // `vitest run` also type-checks the *.test-d.ts files with tsc (expectTypeOf, @ts-expect-error).
    typecheck: { enabled: true, include: ['src/**/*.test-d.ts'] },
  },
})
