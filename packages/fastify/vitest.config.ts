import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // Core loads natively from its dist/, as in a user's app: route files go through Routeware's
    // own loader, not through vitest's transform.
    server: { deps: { external: [/\/packages\/core\/dist\//, /@routeware\/core/] } },
  },
})
