// Throws as it is imported: the server refuses to start, and so does `routeware routes`.
throw new Error('SENTRY_DSN is not set')

export function register() {}
