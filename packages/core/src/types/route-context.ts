/** `@routeware/core/types`: a route handler's second argument, typed from its route literal. */

/** The folders of a route literal, empty ones dropped: `/users/[id]` -> `'users' | '[id]'` in order. */
type Split<Path extends string> = Path extends `${infer Head}/${infer Rest}`
  ? Head extends ''
    ? Split<Rest>
    : [Head, ...Split<Rest>]
  : Path extends ''
    ? []
    : [Path]

// Checked outermost first, as `[[...x]]` also reads as `[...x]` and `[x]`. Groups `(x)` and
// slots `@x` leave the URL in Next (app-paths.ts `normalizeAppPath`), so they add no param.
type RequiredParams<Segments extends readonly string[]> = Segments extends [infer S, ...infer Rest extends string[]]
  ? (S extends `[[...${string}]]`
      ? never
      : S extends `[...${infer Name}]`
        ? { key: Name; value: string[] }
        : S extends `[${infer Name}]`
          ? { key: Name; value: string }
          : never) | RequiredParams<Rest>
  : never

type OptionalParams<Segments extends readonly string[]> = Segments extends [infer S, ...infer Rest extends string[]]
  ? (S extends `[[...${infer Name}]]` ? Name : never) | OptionalParams<Rest>
  : never

/** One flat object type, so editors show `{ id: string }` rather than an intersection. */
type Flatten<T> = { [K in keyof T]: T[K] }

type Params<Segments extends readonly string[]> = Flatten<
  { [E in RequiredParams<Segments> as E['key']]: E['value'] } & { [K in OptionalParams<Segments>]?: string[] }
>

/**
 * The params object of a route literal: `[id]` -> `string`, `[...slug]` -> `string[]`,
 * `[[...slug]]` -> optional `string[]`, a static route -> `{}`. Groups vanish. A plain
 * `string` gives the loosest shape a route can have.
 */
export type ParamsOf<Path extends string> = string extends Path
  ? Record<string, string | string[] | undefined>
  : Params<Split<Path>>

/**
 * The second argument of a route handler: `RouteContext<'/users/[id]'>` is
 * `{ params: Promise<{ id: string }> }`, as Next's global `RouteContext`. A route without
 * dynamic segments gets `{ params: undefined }`: what Next 16.4.6 passes at run time.
 */
export type RouteContext<Path extends string> = string extends Path
  ? { params: Promise<ParamsOf<Path>> | undefined }
  : keyof ParamsOf<Path> extends never
    ? { params: undefined }
    : { params: Promise<ParamsOf<Path>> }
