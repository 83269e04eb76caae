/**
 * `'use cache'` (and `'use cache: remote'` / `'use cache: private'`), compiled by Routeware's loader (a step of transform.ts, on the JavaScript oxc
 * printed). A function whose body starts with the directive, or, in a file that starts with it,
 * every exported async function except the HTTP method handlers, has its body wrapped:
 *
 *   async function getPost(id) { 'use cache'; cacheTag('posts'); return db.post(id) }
 *   -> async function getPost(id) { return __rwUseCache("getPost:<hash>", [id], async () => { ;cacheTag('posts'); return db.post(id) }) }
 *
 * The call (cache/use-cache.ts) keys the result by that id (the function's name and a hash of its
 * source, the same on every instance), the parameters' values and the values it closes over from
 * enclosing functions (a cached function inside a handler reading the handler's `id`). No newline is added, so the
 * line numbers of stack traces stay the source's. Where the host compiles the file instead (tsx),
 * `hasUseCacheDirective` lets the loader refuse it.
 */
import { createHash } from 'node:crypto'
import type * as Acorn from 'acorn'

type AnyNode = Acorn.Node & Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

/** The name the compiled code calls (imported once at the top of the file). */
const CALL = '__rwUseCache'
const HTTP_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'DELETE', 'PATCH'])
/**
 * `'use cache'` and its Next variants: `'use cache: remote'` (and `: default`) use the app's
 * `cache` store, as plain `'use cache'`; `'use cache: private'` is never stored (its body may read
 * `cookies()`/`headers()`; it runs on every call). Any other kind is refused, as Next refuses a kind
 * no cache handler is configured for.
 */
const DIRECTIVE = /^use cache(?:\s*:\s*([\w-]+))?$/
/** The kinds Routeware knows: Next's own (`default`, `remote`, `private`). */
const KINDS = new Set(['default', 'remote', 'private'])
/** The directive as a statement: at the start of a line or right after `{` / `;`, never inside an expression (`log('use cache')`). */
const DIRECTIVE_TEXT = /(?:^|[{;])\s*(['"])use cache(?:\s*:\s*[\w-]+)?\1\s*(?:;|$|\r?\n)/m

/** A `'use cache: <kind>'` of a kind Routeware does not know: the message is Next's. */
export class UnknownCacheKindError extends Error {
  constructor(readonly kind: string) {
    super(
      `Unknown cache kind "${kind}". Please configure a cache handler for this kind in the \`cacheHandlers\` object in your Next.js config.\n  Routeware knows 'use cache', 'use cache: remote' (both use the app's cache store) and 'use cache: private' (never stored): use one of them.`,
    )
  }
}

/** Whether `source` holds a `'use cache'` directive (a quick textual check, before any parse). */
export function hasUseCacheDirective(source: string): boolean {
  return DIRECTIVE_TEXT.test(source)
}

/** The kind of a directive statement (`undefined`: plain `'use cache'`); throws for an unknown kind. */
function kindOf(statement: AnyNode): string | undefined {
  const kind = DIRECTIVE.exec(statement.directive)?.[1]
  if (kind !== undefined && !KINDS.has(kind)) throw new UnknownCacheKindError(kind)
  return kind === 'default' || kind === 'remote' ? undefined : kind
}

/** `js` with its `'use cache'` functions wrapped, or `undefined` when it has none. */
export function compileUseCache(js: string, acorn: typeof Acorn): string | undefined {
  if (!hasUseCacheDirective(js)) return undefined
  const program = acorn.parse(js, { ecmaVersion: 'latest', sourceType: 'module', allowHashBang: true, allowAwaitOutsideFunction: true }) as AnyNode
  const edits: Array<{ start: number; end: number; text: string }> = []
  const wrapped = new Set<AnyNode>()
  const fileLevel = prologue(program.body).find((s) => DIRECTIVE.test(s.directive))
  const fileKind = fileLevel ? kindOf(fileLevel) : undefined

  const wrap = (fn: AnyNode, name: string, ancestors: readonly AnyNode[] = []) => {
    if (wrapped.has(fn) || fn.body?.type !== 'BlockStatement') return
    wrapped.add(fn)
    const body = fn.body as AnyNode
    const directive = prologue(body.body).find((s) => DIRECTIVE.test(s.directive))
    const kind = directive ? kindOf(directive) : fileKind
    const params = (fn.params as AnyNode[]).flatMap((p) => boundNames(p))
    // Values it closes over from enclosing functions are part of the key too, as Next binds them.
    const keyParts = [...params, ...capturedNames(fn, ancestors)]
    const id = `${name}:${createHash('sha256').update(js.slice(fn.start, fn.end)).digest('hex').slice(0, 16)}`
    // `{` ... `}` -> `{ ;return __rwUseCache(id, [params], async () => {` ... `}) }`; the directive itself becomes `;`.
    edits.push({ start: body.start, end: body.start + 1, text: `{ return ${CALL}(${JSON.stringify(id)}, [${keyParts.join(', ')}], async () => {` })
    if (directive) edits.push({ start: directive.start, end: directive.end, text: ';' })
    edits.push({ start: body.end - 1, end: body.end, text: kind === undefined ? '}) }' : `}, ${JSON.stringify(kind)}) }` })
  }

  // Function-level directives, anywhere.
  walk(program, (node, parent, ancestors) => {
    if (!isFunction(node)) return
    if (node.body?.type !== 'BlockStatement' || !prologue(node.body.body).some((s) => DIRECTIVE.test(s.directive))) return
    wrap(node, node.id?.name ?? (parent?.type === 'VariableDeclarator' && parent.id.type === 'Identifier' ? parent.id.name : 'anonymous'), ancestors)
  })

  // A file-level directive: every exported async function but the HTTP handlers.
  if (fileLevel) {
    edits.push({ start: fileLevel.start, end: fileLevel.end, text: ';' })
    for (const statement of program.body as AnyNode[]) {
      if (statement.type === 'ExportDefaultDeclaration' && isAsyncFunction(statement.declaration)) wrap(statement.declaration, 'default')
      if (statement.type !== 'ExportNamedDeclaration' || !statement.declaration) continue
      const declaration = statement.declaration as AnyNode
      if (declaration.type === 'FunctionDeclaration' && declaration.async && !HTTP_METHODS.has(declaration.id.name)) wrap(declaration, declaration.id.name)
      if (declaration.type === 'VariableDeclaration') {
        for (const d of declaration.declarations as AnyNode[]) {
          if (d.id.type === 'Identifier' && !HTTP_METHODS.has(d.id.name) && isAsyncFunction(d.init)) wrap(d.init, d.id.name)
        }
      }
    }
  }
  if (edits.length === 0) return undefined
  edits.sort((a, b) => b.start - a.start)
  let out = js
  for (const edit of edits) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end)
  // On the first line (after a hashbang's), so every line keeps its number.
  const at = out.startsWith('#!') ? out.indexOf('\n') + 1 : 0
  return `${out.slice(0, at)}import { __useCache as ${CALL} } from "@routeware/core/cache";${out.slice(at)}`
}

const isAsyncFunction = (node: AnyNode | null | undefined) => !!node && (node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression') && node.async === true

/** The directive statements at the head of a body (acorn marks them with `directive`). */
function prologue(statements: AnyNode[]): AnyNode[] {
  const out: AnyNode[] = []
  for (const s of statements) {
    if (s.type !== 'ExpressionStatement' || typeof s.directive !== 'string') break
    out.push(s)
  }
  return out
}

/** The names a parameter binds (`a`, `{ a, b: [c] }`, `...rest`, `a = 1`). */
function boundNames(node: AnyNode | null | undefined): string[] {
  if (!node) return []
  switch (node.type) {
    case 'Identifier':
      return [node.name]
    case 'AssignmentPattern':
      return boundNames(node.left)
    case 'RestElement':
      return boundNames(node.argument)
    case 'ArrayPattern':
      return (node.elements as AnyNode[]).flatMap((e) => boundNames(e))
    case 'ObjectPattern':
      return (node.properties as AnyNode[]).flatMap((p) => boundNames(p.type === 'RestElement' ? p : p.value))
    default:
      return []
  }
}

/** Every node, depth first, with its parent and its ancestors (outermost first). */
function walk(node: AnyNode, visit: (node: AnyNode, parent: AnyNode | undefined, ancestors: readonly AnyNode[]) => void, ancestors: AnyNode[] = []): void {
  visit(node, ancestors[ancestors.length - 1], ancestors)
  ancestors.push(node)
  for (const key of Object.keys(node)) {
    if (key === 'type' || key === 'start' || key === 'end') continue
    const value = node[key]
    if (Array.isArray(value)) {
      for (const child of value) if (child && typeof child.type === 'string') walk(child, visit, ancestors)
    } else if (value && typeof value.type === 'string') walk(value, visit, ancestors)
  }
  ancestors.pop()
}

const isFunction = (node: AnyNode | null | undefined): boolean => !!node && (node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression')

/**
 * The names `fn` reads that an enclosing function declares (its parameters and variables), in
 * order: a cached function inside a handler that reads `id` from the handler is keyed by `id` too.
 * Functions and classes declared there are left out (not serializable, and the same code each time).
 */
function capturedNames(fn: AnyNode, ancestors: readonly AnyNode[]): string[] {
  const enclosing = ancestors.filter(isFunction)
  if (enclosing.length === 0) return []
  const outer = new Set<string>()
  for (const scope of enclosing) {
    for (const p of scope.params as AnyNode[]) for (const name of boundNames(p)) outer.add(name)
    for (const name of declaredNames(scope.body, false)) outer.add(name)
  }
  // Its own parameters and declarations shadow the enclosing ones.
  const own = new Set([...(fn.params as AnyNode[]).flatMap((p) => boundNames(p)), ...declaredNames(fn.body, true)])
  const read = new Set<string>()
  walk(fn.body, (node, parent) => {
    if (node.type !== 'Identifier' || !outer.has(node.name) || own.has(node.name)) return
    if (parent?.type === 'MemberExpression' && parent.property === node && !parent.computed) return
    if ((parent?.type === 'Property' || parent?.type === 'MethodDefinition' || parent?.type === 'PropertyDefinition') && parent.key === node && !parent.computed && !parent.shorthand) return
    if (parent?.type === 'LabeledStatement' || parent?.type === 'BreakStatement' || parent?.type === 'ContinueStatement') return
    read.add(node.name)
  })
  return [...read].sort()
}

/**
 * The variables a function body declares (`var`/`let`/`const`, catch parameters), not inside the
 * functions it holds; with `all`, also its function and class declarations (they shadow too).
 */
function declaredNames(body: AnyNode, all: boolean): string[] {
  const names: string[] = []
  const visit = (node: AnyNode, top: boolean): void => {
    if (!top && isFunction(node)) {
      if (all && node.type === 'FunctionDeclaration' && node.id) names.push(node.id.name)
      return
    }
    if (node.type === 'ClassDeclaration') {
      if (all && node.id) names.push(node.id.name)
      return
    }
    if (node.type === 'VariableDeclarator' && (all || !isFunction(node.init))) names.push(...boundNames(node.id))
    if (node.type === 'CatchClause' && node.param) names.push(...boundNames(node.param))
    for (const key of Object.keys(node)) {
      if (key === 'type' || key === 'start' || key === 'end') continue
      const value = node[key]
      if (Array.isArray(value)) {
        for (const child of value) if (child && typeof child.type === 'string') visit(child, false)
      } else if (value && typeof value.type === 'string') visit(value, false)
    }
  }
  visit(body, true)
  return names
}
