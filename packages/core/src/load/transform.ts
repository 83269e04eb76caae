/**
 * The transform jiti runs on route files and the app modules they import (its `transform`
 * option), in place of its default Babel pipeline, which cost about 3 ms per file (a tree of
 * 1,000 `route.ts` took 3.5-6.5 s to load with an empty cache).
 *
 * 1. TypeScript -> JavaScript with `oxc-transform` (native, ~0.05 ms per route file): types
 *    erased, enums and namespaces compiled, legacy decorators and their metadata as Babel's
 *    plugins emitted them, unused imports elided as `tsc` does. Its syntax errors name the line
 *    and column of the source.
 * 2. The ES module -> the function body jiti evaluates, the way jiti's own Babel plugin writes it
 *    in async mode: every `import` becomes `await jitiImport(...)` in source order (so packages
 *    load natively, with the `import` condition, one instance shared with the host), references to
 *    imported bindings read the imported module object at each use (live bindings: circular imports
 *    and `export let` work), exports are getters defined before anything runs (hoisted function
 *    exports, as in ESM), `import()` goes through jiti, `import.meta` is the file's. acorn parses
 *    the JavaScript; a small scope walk finds which identifiers refer to imports.
 * 3. Lines: oxc prints code its own way (an enum on one line becomes five), so the output is
 *    realigned on the source lines from oxc's source map: stack traces keep naming the line of
 *    the source, as Babel's `retainLines` did.
 *
 * Production caches the output on disk (transform-cache.ts), keyed by `transformVersion()`, never
 * mixed with what jiti's Babel wrote in its own cache.
 */
import type * as Acorn from 'acorn'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type * as Oxc from 'oxc-transform'
import { compileUseCache, UnknownCacheKindError } from './use-cache.js'

/** Part of the cache key (`transformVersion`): change it when the output of this file changes. */
export const TRANSFORM_ID = 'oxc1+use-cache2'

/** What jiti passes to its `transform` option (jiti's `TransformOptions`, the fields used here). */
export interface TransformInput {
  source: string
  filename?: string
  ts?: boolean
  async?: boolean
}

const require = createRequire(import.meta.url)
let oxc: typeof Oxc | undefined
let acorn: typeof Acorn | undefined

/** What the output depends on: this file's `TRANSFORM_ID` and the versions of oxc-transform and acorn. */
export function transformVersion(): string {
  try {
    const oxcVersion = (require('oxc-transform/package.json') as { version: string }).version
    return `${TRANSFORM_ID} oxc-transform@${oxcVersion} acorn@${(require('acorn') as typeof Acorn).version}`
  } catch {
    return TRANSFORM_ID
  }
}

/**
 * Whether oxc-transform's binary loads here (npm installs the one for this platform; a platform
 * it has none for, or an install without optional dependencies, has none). Where it does not, the
 * loaders keep jiti's own Babel transform: slower, same results.
 */
export function nativeTransformAvailable(): boolean {
  try {
    oxc ??= require('oxc-transform') as typeof Oxc
    acorn ??= require('acorn') as typeof Acorn
    return true
  } catch {
    return false
  }
}

/** jiti's `transform`: never throws; a syntax error becomes the `__JITI_ERROR__` jiti reports. */
export function transformForJiti(input: TransformInput): { code: string; error?: unknown } {
  const filename = input.filename ?? ''
  let js = input.source
  let lines: Array<number | undefined> | undefined
  const jsx = JSX_FILE.test(filename)
  if (input.ts || jsx) {
    oxc ??= require('oxc-transform') as typeof Oxc
    const out = oxc.transformSync(filename || 'module.ts', input.source, {
      lang: /\.[cm]?tsx$/.test(filename) ? 'tsx' : jsx ? 'jsx' : 'ts',
      sourceType: 'module',
      decorator: { legacy: true, emitDecoratorMetadata: true },
      sourcemap: true,
      ...(jsx ? { jsx: { runtime: 'automatic' as const, importSource: jsxImportSource(filename) } } : {}),
    })
    const error = out.errors.find((e) => e.severity === 'Error')
    if (error) return failure(filename, input.source, error.message, error.labels[0]?.start ?? 0, error)
    js = out.code
    lines = out.map ? sourceLines(out.map.mappings) : undefined
  }
  acorn ??= require('acorn') as typeof Acorn
  // `'use cache'` functions wrapped (use-cache.ts); a file without the directive is left as it is.
  try {
    js = compileUseCache(js, acorn) ?? js
  } catch (error) {
    // An unknown `'use cache: <kind>'` fails the file, at the directive; a parse error is reported below, where the module is parsed again.
    if (error instanceof UnknownCacheKindError) return failure(filename, input.source, error.message, directiveAt(input.source, error.kind), error)
  }
  const comments: Array<{ block: boolean; start: number; end: number }> = []
  let program: Acorn.Program
  try {
    program = acorn.parse(js, {
      ecmaVersion: 'latest',
      sourceType: 'module',
      allowHashBang: true,
      allowAwaitOutsideFunction: input.async !== false,
      onComment: (block, _text, start, end) => comments.push({ block, start, end }),
    })
  } catch (error) {
    const pos = (error as { pos?: number }).pos ?? 0
    const message = (error as Error).message.replace(/ \(\d+:\d+\)$/, '')
    // Only JavaScript fails here (oxc's output parses): its positions are the source's.
    return failure(filename, js, message, pos, error)
  }
  return { code: toJitiModule(js, program, comments, lines, filename, input.async !== false) }
}

/** Where `'use cache: <kind>'` is written in `source` (oxc may have re-quoted it), or 0. */
function directiveAt(source: string, kind: string): number {
  return Math.max(0, source.search(new RegExp(`(['"])use cache\\s*:\\s*${kind}\\1`)))
}

/** `.tsx` and `.jsx` files: JSX compiled with the automatic runtime. */
export const JSX_FILE = /\.[cm]?[jt]sx$/

const importSources = new Map<string, string>()
/**
 * Where JSX elements come from: React's runtime where the app has React (`react/jsx-runtime`
 * resolves from the file's folder), else Routeware's own (`@routeware/core/jsx-runtime`: plain
 * `{ type, props, key }` elements, what `ImageResponse` renders). A `@jsxImportSource` comment
 * in the file wins over both.
 */
export function jsxImportSource(filename: string): string {
  const dir = dirname(filename)
  let source = importSources.get(dir)
  if (source === undefined) {
    try {
      createRequire(join(dir, 'noop.js')).resolve('react/jsx-runtime')
      source = 'react'
    } catch {
      source = '@routeware/core'
    }
    importSources.set(dir, source)
  }
  return source
}

/** The module jiti turns into an Error naming `file:line:column` (1-based), as with Babel. */
function failure(filename: string, source: string, message: string, offset: number, error: unknown) {
  const before = source.slice(0, offset)
  const line = before.split('\n').length
  const column = offset - before.lastIndexOf('\n')
  const payload = { filename, line, column, code: 'SyntaxError', message }
  return { code: `exports.__JITI_ERROR__ = ${JSON.stringify(payload)}`, error }
}

// ---------------------------------------------------------------------------------------------
// ES module -> jiti's module body

/** acorn's nodes, walked generically. */
type AnyNode = Acorn.Node & Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

interface Edit {
  start: number
  end: number
  text: string
}

function toJitiModule(
  js: string,
  program: Acorn.Program,
  comments: Array<{ block: boolean; start: number; end: number }>,
  lines: Array<number | undefined> | undefined,
  filename: string,
  async: boolean,
): string {
  let prefix = '_rw$'
  while (js.includes(prefix)) prefix += '_'
  const edits: Edit[] = []
  /** Imported local name -> the expression that reads it. */
  const bindings = new Map<string, string>()
  /** Exported name -> the expression its getter returns. */
  const exported = new Map<string, string>()
  const loads: string[] = []
  let stars = false
  let imports = 0
  const load = (source: string) => {
    const name = `${prefix}${imports++}`
    loads.push(`var ${name} = ${async ? 'await jitiImport' : 'require'}(${JSON.stringify(source)});`)
    return name
  }
  const member = (object: string, name: AnyNode) => (name.type === 'Identifier' && name.name !== 'default' ? `${object}.${name.name}` : `${object}[${JSON.stringify(name.type === 'Identifier' ? name.name : name.value)}]`)
  const nameOf = (node: AnyNode): string => (node.type === 'Identifier' ? node.name : String(node.value))
  /** Replace [start, end) with spaces, line by line: its line breaks stay (and are realigned). */
  const blank = (start: number, end: number) => {
    for (let from = start; from < end; ) {
      const lineEnd = js.indexOf('\n', from)
      const to = lineEnd === -1 || lineEnd > end ? end : lineEnd
      if (to > from) edits.push({ start: from, end: to, text: ' '.repeat(to - from) })
      from = to + 1
    }
  }

  let hasModuleSyntax = false
  for (const node of program.body as AnyNode[]) {
    switch (node.type) {
      case 'ImportDeclaration': {
        hasModuleSyntax = true
        const ns = load(node.source.value)
        for (const s of node.specifiers as AnyNode[]) {
          if (s.type === 'ImportNamespaceSpecifier') bindings.set(s.local.name, ns)
          else if (s.type === 'ImportDefaultSpecifier') bindings.set(s.local.name, `${ns}.default`)
          else bindings.set(s.local.name, member(ns, s.imported))
        }
        blank(node.start, node.end)
        break
      }
      case 'ExportAllDeclaration': {
        hasModuleSyntax = true
        const ns = load(node.source.value)
        if (node.exported) exported.set(nameOf(node.exported), ns)
        else {
          stars = true
          loads.push(`${prefix}star(${ns});`)
        }
        blank(node.start, node.end)
        break
      }
      case 'ExportNamedDeclaration': {
        hasModuleSyntax = true
        if (node.declaration) {
          for (const name of declaredNames(node.declaration)) exported.set(name, name)
          blank(node.start, node.declaration.start)
        } else if (node.source) {
          const ns = load(node.source.value)
          for (const s of node.specifiers as AnyNode[]) exported.set(nameOf(s.exported), member(ns, s.local))
          blank(node.start, node.end)
        } else {
          // Local names; an imported one is read through its module (filled in below).
          for (const s of node.specifiers as AnyNode[]) exported.set(nameOf(s.exported), `\0${s.local.name}`)
          blank(node.start, node.end)
        }
        break
      }
      case 'ExportDefaultDeclaration': {
        hasModuleSyntax = true
        const d = node.declaration as AnyNode
        if ((d.type === 'FunctionDeclaration' || d.type === 'ClassDeclaration') && d.id) {
          exported.set('default', d.id.name)
          blank(node.start, d.start)
        } else if (d.type === 'FunctionDeclaration' || d.type === 'ClassDeclaration') {
          // `export default function () {}` is still a hoisted declaration: give it a name.
          const name = `${prefix}default`
          exported.set('default', name)
          blank(node.start, d.start)
          const at = d.type === 'ClassDeclaration' ? d.start + 'class'.length : js.lastIndexOf('(', d.params.length > 0 ? d.params[0].start : d.body.start)
          edits.push({ start: at, end: at, text: ` ${name}` })
        } else {
          const name = `${prefix}default`
          exported.set('default', name)
          edits.push({ start: node.start, end: d.start, text: `const ${name} = ` })
        }
        break
      }
    }
  }
  for (const [name, value] of exported) {
    if (value.startsWith('\0')) {
      const local = value.slice(1)
      exported.set(name, bindings.get(local) ?? local)
    }
  }

  // Without imports, `import.meta` or `import()` there is nothing to rewrite in the body.
  const needsMeta = bindings.size > 0 || js.includes('import') ? rewriteReferences(program, bindings, edits, prefix) : false
  const unsafe = lines ? unsafeBreaks(js, program, comments) : undefined

  let head = '"use strict";'
  if (hasModuleSyntax || exported.size > 0) head += 'Object.defineProperty(exports, "__esModule", { value: true });'
  if (exported.size > 0 || stars) head += `function ${prefix}x(n, g) { Object.defineProperty(exports, n, { enumerable: true, configurable: true, get: g }); }`
  if (stars) {
    head += `function ${prefix}star(m) { for (const k in m) if (k !== "default" && k !== "__esModule" && !Object.prototype.hasOwnProperty.call(exports, k)) ${prefix}x(k, () => m[k]); }`
  }
  for (const [name, value] of exported) head += `${prefix}x(${JSON.stringify(name)}, () => ${value});`
  if (needsMeta) {
    const url = JSON.stringify(filename ? pathToFileURL(filename).href : '')
    head += `var ${prefix}meta = { url: ${url}, filename: __filename, dirname: __dirname, resolve: jitiESMResolve, env: process.env };`
  }
  head += loads.join('')

  // A `#!` line becomes a comment after the header, on line 1.
  if (js.startsWith('#!')) edits.push({ start: 0, end: 2, text: '//' })
  if (lines && unsafe) edits.push(...realign(js, lines, unsafe))
  edits.sort((a, b) => a.start - b.start || a.end - b.end)
  let out = head
  let at = 0
  for (const edit of edits) {
    if (edit.start < at) continue // never happens: edits do not overlap
    out += js.slice(at, edit.start) + edit.text
    at = edit.end
  }
  return out + js.slice(at)
}

/** The names a declaration (`const {a, b: [c]} = ...`, `function f`, `class C`) binds. */
function declaredNames(node: AnyNode): string[] {
  if (node.type === 'VariableDeclaration') return node.declarations.flatMap((d: AnyNode) => patternNames(d.id))
  return node.id ? [node.id.name] : []
}

function patternNames(node: AnyNode | null | undefined, out: string[] = []): string[] {
  if (!node) return out
  switch (node.type) {
    case 'Identifier':
      out.push(node.name)
      break
    case 'ObjectPattern':
      for (const p of node.properties) patternNames(p.type === 'RestElement' ? p.argument : p.value, out)
      break
    case 'ArrayPattern':
      for (const e of node.elements) patternNames(e, out)
      break
    case 'RestElement':
      patternNames(node.argument, out)
      break
    case 'AssignmentPattern':
      patternNames(node.left, out)
      break
  }
  return out
}

// ---------------------------------------------------------------------------------------------
// References to imported bindings

const FUNCTION = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression'])

/**
 * Rewrite every reference to an imported binding (not shadowed by a local declaration) to read
 * its module object; `import.meta` becomes the file's; `import()` goes through jiti. Returns
 * whether `import.meta` is used.
 */
function rewriteReferences(program: Acorn.Program, bindings: Map<string, string>, edits: Edit[], prefix: string): boolean {
  let meta = false
  const imported = bindings.size > 0

  /** The imported names that `names` shadows, added to `shadowed` (a new set only when needed). */
  const shade = (shadowed: ReadonlySet<string>, names: Iterable<string>): ReadonlySet<string> => {
    let next: Set<string> | undefined
    for (const name of names) {
      if (bindings.has(name) && !shadowed.has(name)) (next ??= new Set(shadowed)).add(name)
    }
    return next ?? shadowed
  }

  const reference = (node: AnyNode, parent: AnyNode | undefined, shadowed: ReadonlySet<string>) => {
    const value = bindings.get(node.name)
    if (value === undefined || shadowed.has(node.name)) return
    if (parent?.type === 'Property' && parent.shorthand) {
      edits.push({ start: node.start, end: node.end, text: `${node.name}: ${value}` })
    } else if (value.includes('.') || value.includes('[')) {
      // Called or tagged, a member would pass its module as `this`: `(0, m.f)()` as Babel writes it.
      const called = (parent?.type === 'CallExpression' && parent.callee === node) || (parent?.type === 'TaggedTemplateExpression' && parent.tag === node)
      edits.push({ start: node.start, end: node.end, text: called ? `(0, ${value})` : value })
    } else {
      edits.push({ start: node.start, end: node.end, text: value })
    }
  }

  const walkPattern = (node: AnyNode | null | undefined, shadowed: ReadonlySet<string>) => {
    if (!node) return
    switch (node.type) {
      case 'Identifier':
        return
      case 'ObjectPattern':
        for (const p of node.properties) {
          if (p.type === 'RestElement') walkPattern(p.argument, shadowed)
          else {
            if (p.computed) walk(p.key, p, shadowed)
            walkPattern(p.value, shadowed)
          }
        }
        return
      case 'ArrayPattern':
        for (const e of node.elements) walkPattern(e, shadowed)
        return
      case 'RestElement':
        return walkPattern(node.argument, shadowed)
      case 'AssignmentPattern':
        walkPattern(node.left, shadowed)
        return walk(node.right, node, shadowed)
      default:
        // A member expression as an assignment target (`[a.b] = c`).
        return walk(node, undefined, shadowed)
    }
  }

  const walkFunction = (node: AnyNode, shadowed: ReadonlySet<string>) => {
    const names: string[] = []
    if (node.type === 'FunctionExpression' && node.id) names.push(node.id.name)
    for (const p of node.params) patternNames(p, names)
    if (node.body.type === 'BlockStatement') {
      varNames(node.body, names)
      lexicalNames(node.body.body, names)
    }
    const inner = shade(shadowed, names)
    for (const p of node.params) walkPattern(p, inner)
    if (node.body.type === 'BlockStatement') for (const s of node.body.body) walk(s, node.body, inner)
    else walk(node.body, node, inner)
  }

  const walk = (node: AnyNode | null | undefined, parent: AnyNode | undefined, shadowed: ReadonlySet<string>): void => {
    if (!node || typeof node.type !== 'string') return
    switch (node.type) {
      case 'Identifier':
        if (imported) reference(node, parent, shadowed)
        return
      case 'ImportDeclaration':
      case 'ExportAllDeclaration':
        return
      case 'ExportNamedDeclaration':
        if (node.declaration) walk(node.declaration, node, shadowed)
        return
      case 'ExportDefaultDeclaration':
        return walk(node.declaration, node, shadowed)
      case 'MetaProperty':
        if (node.meta.name === 'import') {
          meta = true
          edits.push({ start: node.start, end: node.end, text: `${prefix}meta` })
        }
        return
      case 'ImportExpression': {
        // `import(x)` -> `jitiImport(x)`: the source and options stay where they are.
        const open = node.start + 'import'.length
        edits.push({ start: node.start, end: open, text: 'jitiImport' })
        walk(node.source, node, shadowed)
        if (node.options) walk(node.options, node, shadowed)
        return
      }
      case 'MemberExpression':
        walk(node.object, node, shadowed)
        if (node.computed) walk(node.property, node, shadowed)
        return
      case 'Property':
        if (node.computed) walk(node.key, node, shadowed)
        if (node.shorthand && node.value.type === 'Identifier') return walk(node.value, node, shadowed)
        if (node.value.type === 'AssignmentPattern' || node.value.type === 'ObjectPattern' || node.value.type === 'ArrayPattern') return walkPattern(node.value, shadowed)
        return walk(node.value, node, shadowed)
      case 'MethodDefinition':
      case 'PropertyDefinition':
        if (node.computed) walk(node.key, node, shadowed)
        return walk(node.value, node, shadowed)
      case 'LabeledStatement':
        return walk(node.body, node, shadowed)
      case 'BreakStatement':
      case 'ContinueStatement':
        return
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        return walkFunction(node, shadowed)
      case 'ClassDeclaration':
      case 'ClassExpression': {
        const inner = node.id ? shade(shadowed, [node.id.name]) : shadowed
        walk(node.superClass, node, inner)
        for (const m of node.body.body) walk(m, node.body, inner)
        return
      }
      case 'StaticBlock': {
        const names: string[] = []
        varNames(node, names)
        lexicalNames(node.body, names)
        const inner = shade(shadowed, names)
        for (const s of node.body) walk(s, node, inner)
        return
      }
      case 'VariableDeclaration':
        for (const d of node.declarations) {
          walkPattern(d.id, shadowed)
          walk(d.init, d, shadowed)
        }
        return
      case 'BlockStatement': {
        const inner = shade(shadowed, lexicalNames(node.body, []))
        for (const s of node.body) walk(s, node, inner)
        return
      }
      case 'SwitchStatement': {
        walk(node.discriminant, node, shadowed)
        const inner = shade(shadowed, lexicalNames(node.cases.flatMap((c: AnyNode) => c.consequent), []))
        for (const c of node.cases) {
          walk(c.test, c, inner)
          for (const s of c.consequent) walk(s, c, inner)
        }
        return
      }
      case 'ForStatement':
      case 'ForInStatement':
      case 'ForOfStatement': {
        const head = node.type === 'ForStatement' ? node.init : node.left
        const inner = head?.type === 'VariableDeclaration' && head.kind !== 'var' ? shade(shadowed, declaredNames(head)) : shadowed
        if (head?.type === 'VariableDeclaration') walk(head, node, inner)
        else if (node.type === 'ForStatement') walk(head, node, inner)
        else walkPattern(head, inner)
        walk(node.test, node, inner)
        walk(node.update, node, inner)
        walk(node.right, node, inner)
        walk(node.body, node, inner)
        return
      }
      case 'CatchClause': {
        const names = patternNames(node.param)
        const inner = shade(shadowed, names)
        walkPattern(node.param, inner)
        return walk(node.body, node, inner)
      }
      case 'AssignmentExpression':
        if (node.left.type === 'ObjectPattern' || node.left.type === 'ArrayPattern') walkPattern(node.left, shadowed)
        else walk(node.left, node, shadowed)
        return walk(node.right, node, shadowed)
    }
    for (const key in node) {
      if (key === 'type' || key === 'start' || key === 'end' || key === 'loc' || key === 'range') continue
      const child = node[key]
      if (Array.isArray(child)) {
        for (const c of child) if (c && typeof c.type === 'string') walk(c, node, shadowed)
      } else if (child && typeof child.type === 'string') walk(child, node, shadowed)
    }
  }

  const none: ReadonlySet<string> = new Set()
  for (const statement of program.body) walk(statement as AnyNode, program as AnyNode, none)
  return meta
}

/** `var` names declared anywhere in a function body (not in nested functions). */
function varNames(node: AnyNode | null | undefined, out: string[]): string[] {
  if (!node || typeof node.type !== 'string') return out
  if (FUNCTION.has(node.type) || node.type === 'ClassDeclaration' || node.type === 'ClassExpression') return out
  if (node.type === 'VariableDeclaration') {
    if (node.kind === 'var') for (const d of node.declarations) patternNames(d.id, out)
    return out
  }
  // Statements only: a `var` cannot sit in an expression.
  for (const key of ['body', 'consequent', 'alternate', 'block', 'handler', 'finalizer', 'cases', 'init', 'left']) {
    const child = node[key]
    if (Array.isArray(child)) for (const c of child) varNames(c, out)
    else if (child && typeof child === 'object') varNames(child, out)
  }
  return out
}

/** `let`/`const`/`class`/function names declared directly in a statement list (strict mode). */
function lexicalNames(statements: AnyNode[], out: string[]): string[] {
  for (const s of statements) {
    if (s.type === 'VariableDeclaration' && s.kind !== 'var') out.push(...declaredNames(s))
    else if ((s.type === 'ClassDeclaration' || s.type === 'FunctionDeclaration') && s.id) out.push(s.id.name)
  }
  return out
}

// ---------------------------------------------------------------------------------------------
// Lines

/** The 0-based source line of each generated line's first mapping (VLQ `mappings` of a source map). */
function sourceLines(mappings: string): Array<number | undefined> {
  const out: Array<number | undefined> = []
  let line = 0
  let value = 0
  let shift = 0
  let field = 0
  let first: number | undefined
  for (let i = 0; i <= mappings.length; i++) {
    const ch = i < mappings.length ? mappings.charCodeAt(i) : 59 /* ; */
    if (ch === 59 || ch === 44 /* , */) {
      field = 0
      if (ch === 59) {
        out.push(first)
        first = undefined
      }
      continue
    }
    const digit = BASE64[ch]!
    value += (digit & 31) << shift
    if (digit & 32) {
      shift += 5
      continue
    }
    const decoded = value & 1 ? -(value >>> 1) : value >>> 1
    value = 0
    shift = 0
    if (field === 2) {
      line += decoded
      first ??= line
    }
    field++
  }
  return out
}

const BASE64 = new Int8Array(128)
'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.split('').forEach((c, i) => (BASE64[c.charCodeAt(0)] = i))

/** Offsets of line breaks that must stay as they are: in template literals, strings, comments. */
function unsafeBreaks(js: string, program: Acorn.Program, comments: Array<{ block: boolean; start: number; end: number }>): Array<[number, number]> {
  const ranges: Array<[number, number]> = []
  for (const c of comments) ranges.push(c.block ? [c.start, c.end] : [c.start, c.end + 1])
  // Only a template literal or a string continued with `\` holds a line break: look for them only then.
  if (!js.includes('`') && !js.includes('\\\n')) return ranges
  const visit = (node: AnyNode) => {
    if (node.type === 'TemplateElement' || (node.type === 'Literal' && typeof node.value === 'string')) ranges.push([node.start, node.end])
    for (const key in node) {
      if (key === 'type' || key === 'start' || key === 'end') continue
      const child = node[key]
      if (Array.isArray(child)) {
        for (const c of child) if (c && typeof c.type === 'string') visit(c)
      } else if (child && typeof child.type === 'string') visit(child)
    }
  }
  visit(program as AnyNode)
  return ranges.sort((a, b) => a[0] - b[0])
}

/**
 * Edits on the line breaks of `js` that put each generated line on the source line it came from
 * (`lines[i]`): extra breaks where the source had more lines, a space instead of a break where
 * oxc spread one source line over several. A break that cannot go (in a template literal, a
 * string or a comment) stays; the lines after it catch up at the next break that can. A line
 * without a mapping (a closing brace) follows the previous one, or starts a new line while the
 * next mapped line is still ahead.
 */
function realign(js: string, lines: Array<number | undefined>, unsafe: Array<[number, number]>): Edit[] {
  const edits: Edit[] = []
  // The next mapped source line at or after each generated line.
  const ahead: Array<number | undefined> = new Array(lines.length)
  for (let i = lines.length - 1, next: number | undefined; i >= 0; i--) ahead[i] = next = lines[i] ?? next
  let current = 0 // the output line the current generated line landed on
  let generated = 0
  let range = 0
  for (let at = js.indexOf('\n'); at !== -1; at = js.indexOf('\n', at + 1)) {
    generated++
    while (range < unsafe.length && unsafe[range]![1] <= at) range++
    const locked = range < unsafe.length && unsafe[range]![0] <= at
    const mapped = lines[generated]
    const next = ahead[generated]
    if (locked || (mapped === undefined && (next === undefined || next > current))) {
      current++
    } else if (mapped !== undefined && mapped > current) {
      if (mapped - current > 1) edits.push({ start: at, end: at + 1, text: '\n'.repeat(mapped - current) })
      current = mapped
    } else {
      edits.push({ start: at, end: at + 1, text: ' ' })
    }
  }
  return edits
}
