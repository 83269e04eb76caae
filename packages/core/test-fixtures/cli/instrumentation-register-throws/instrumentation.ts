// register() fails (no SDK to start in CI): the server refuses, `routeware routes` never calls it.
export function register() {
  throw new Error('cannot reach the collector')
}
