/**
 * JSX without React: elements are plain `{ type, props, key }` objects, the shape Satori (the
 * renderer behind `ImageResponse`) walks, as it walks React's. `Fragment` is React's own symbol,
 * so Satori and React read it alike.
 */

/** An element the automatic runtime builds: `<div style={...}>hi</div>`. */
export interface RoutewareElement {
  type: unknown
  props: Record<string, unknown>
  key: string | null
}

/** `<>...</>`. */
export const Fragment: unique symbol = Symbol.for('react.fragment') as never

/** The automatic runtime's element factory (`jsxs` takes static children, built alike). */
export function jsx(type: unknown, props: Record<string, unknown>, key?: unknown): RoutewareElement {
  return { type, props, key: key === undefined || key === null ? null : String(key) }
}

/** Elements with several static children. */
export const jsxs = jsx

type CSS = Record<string, string | number | undefined>

/** The types TypeScript checks JSX against under `"jsxImportSource": "@routeware/core"`. */
// eslint-disable-next-line @typescript-eslint/no-namespace
export declare namespace JSX {
  type Element = RoutewareElement
  interface ElementChildrenAttribute {
    children: unknown
  }
  interface IntrinsicAttributes {
    key?: string | number | null | undefined
  }
  interface IntrinsicElements {
    [name: string]: { style?: CSS | undefined; children?: unknown; tw?: string | undefined; [attribute: string]: unknown }
  }
}
