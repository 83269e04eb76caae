/** `@routeware/core/jsx-dev-runtime`: the same runtime, for compilers in development mode. */
export { Fragment, jsx, jsxs, jsx as jsxDEV, type JSX, type RoutewareElement } from './og/jsx.js'
