/** Every feature a target may lack, with the reason a scenario needing it is skipped there. */
export const SKIP_REASONS: Record<string, string> = {
  'raw-path': 'createHandler receives a fetch Request whose URL the WHATWG parser already normalized (dot segments, backslashes): there is no raw path to check',
  'host-app': 'createHandler (fetch or node:http listener) has no host app: no host routes to fall through to, no host logger',
  prefix: 'createHandler (fetch or node:http listener) is not mounted under a prefix',
  'node-writer': 'createHandler returns a Response; how its bytes reach the socket is up to the server that embeds it',
  'host-guard': 'createHandler has no host app, so there is no host guard to bypass (its WHATWG URL parser resolves dot segments and backslashes before Routeware sees the path)',
  'host-headers': 'createHandler (fetch or node:http listener) has no host middleware that could set headers first',
  'unawaited-start': 'createHandler resolves to the handler itself: nothing serves before its promise settles, so there is no readiness to leave un-awaited',
}
