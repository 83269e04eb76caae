import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['*.test.ts'],
    testTimeout: 15000,
    hookTimeout: 30000,
    // The packages under test load natively from their dist/, as in a user's app: route files
    // then go through Routeware's own loader, not through vitest's transform.
    server: { deps: { external: [/\/packages\/[^/]+\/dist\//, /@routeware\//] } },
  },
})
