/** `@routeware/core/navigation`: Next's redirect(), permanentRedirect(), notFound(), unauthorized(), forbidden(). */
export { forbidden, notFound, permanentRedirect, redirect, RedirectType, unauthorized } from './web/navigation.js'
