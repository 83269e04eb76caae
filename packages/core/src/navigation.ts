/** `@routeware/core/navigation`: Next's redirect(), permanentRedirect(), notFound(), unauthorized(), forbidden(), unstable_rethrow(). */
export { forbidden, notFound, permanentRedirect, redirect, RedirectType, unauthorized, unstable_rethrow } from './web/navigation.js'
