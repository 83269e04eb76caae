/**
 * The route trees Routeware refuses at start-up, as Next.js 16 refuses them (fixtures/refused/<name>),
 * with what the error must say. Shared by the conformance scenarios and the Express adapter's own test.
 */
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect } from 'vitest'

const root = fileURLToPath(new URL('./fixtures/refused/', import.meta.url))
/** `fixtures/refused/<name>/app`, absolute. */
export const refusedDir = (name: string) => join(root, name, 'app')

export interface RefusedTree {
  /** Folder under fixtures/refused. */
  name: string
  /** The error's stable code. */
  code: string
  /** Each entry must appear in the message: Next 16's wording, as a running Next.js 16.4.6 prints it for the same tree. */
  messages: string[]
  /** Route files involved, relative to the app dir. */
  files: string[]
}

export const refusedTrees: RefusedTree[] = [
  {
    name: 'ambiguous-slugs',
    code: 'ROUTEWARE_ROUTE_CONFLICT',
    messages: [
      'Ambiguous app routes detected:',
      'Ambiguous route pattern "/blog/[*]" matches multiple routes:',
      'These routes cannot be distinguished from each other when matching URLs. Please ensure that dynamic segments have unique patterns or use different static segments.',
    ],
    files: ['blog/[id]/route.ts', 'blog/[cid]/route.ts'],
  },
  {
    name: 'optional-beside-route',
    code: 'ROUTEWARE_ROUTE_CONFLICT',
    messages: ['You cannot define a route with the same specificity as an optional catch-all route ("/sub" and "/sub/[[...all]]").'],
    files: ['sub/route.ts', 'sub/[[...all]]/route.ts'],
  },
  {
    name: 'optional-beside-root',
    code: 'ROUTEWARE_ROUTE_CONFLICT',
    messages: ['You cannot define a route with the same specificity as an optional catch-all route ("/" and "/[[...all]]").'],
    files: ['route.ts', '[[...all]]/route.ts'],
  },
  {
    name: 'groups-one-path',
    code: 'ROUTEWARE_ROUTE_CONFLICT',
    messages: ['Conflicting routes at /dup: route at /(b)/dup/route and route at /(a)/dup/route'],
    files: ['(a)/dup/route.ts', '(b)/dup/route.ts'],
  },
  {
    name: 'catch-all-not-last',
    code: 'ROUTEWARE_ROUTE_CONFLICT',
    messages: ['Catch-all must be the last part of the URL in route "/docs/[...rest]/more".'],
    files: ['docs/[...rest]/more/route.ts'],
  },
  {
    name: 'repeated-slug',
    code: 'ROUTEWARE_ROUTE_CONFLICT',
    messages: ['You cannot have the same slug name "id" repeat within a single dynamic path in route "/blog/[id]/comments/[id]".'],
    files: ['blog/[id]/comments/[id]/route.ts'],
  },
  {
    name: 'required-and-optional',
    code: 'ROUTEWARE_ROUTE_CONFLICT',
    messages: ['You cannot use both an required and optional catch-all route at the same level ("[...one]" and "[[...one]]" ).'],
    files: ['docs/[...one]/route.ts', 'docs/[[...one]]/route.ts'],
  },
  {
    name: 'optional-param',
    code: 'ROUTEWARE_INVALID_SEGMENT',
    messages: ['Optional route parameters are not yet supported ("[[blog]]") in route "/blog/[[blog]]".'],
    files: ['blog/[[blog]]/route.ts'],
  },
  {
    name: 'invalid-segment-config',
    code: 'ROUTEWARE_INVALID_EXPORT',
    // Next's headline (https://nextjs.org/docs/app/api-reference/file-conventions/route-segment-config);
    // the lines under it, one a value, are Routeware's.
    messages: [
      'Invalid segment configuration options detected for "/feed". Read more at https://nextjs.org/docs/app/api-reference/file-conventions/route-segment-config',
      'Invalid revalidate value -5 on "/feed"',
      'Invalid dynamic value "nope" on "/feed"',
    ],
    files: ['feed/route.ts'],
  },
]

/** The error carries the tree's code and Next's message, and names every involved file, in `files` and in the text. */
export function expectRefusal(error: unknown, tree: RefusedTree): void {
  expect(error).toBeInstanceOf(Error)
  const { message, files, code } = error as Error & { files?: readonly string[]; code?: string }
  expect(code).toBe(tree.code)
  for (const text of tree.messages) expect(message).toContain(text)
  const involved = tree.files.map((f) => join(refusedDir(tree.name), f))
  for (const file of involved) expect(message).toContain(file)
  expect([...(files ?? [])].sort()).toEqual([...involved].sort())
}
