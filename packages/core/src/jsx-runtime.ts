/** `@routeware/core/jsx-runtime`: the automatic JSX runtime for route files in apps without React. */
export { Fragment, jsx, jsxs, jsx as jsxDEV, type JSX, type RoutewareElement } from './og/jsx.js'
