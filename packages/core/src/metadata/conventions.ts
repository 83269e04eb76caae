/**
 * Next.js's metadata file conventions (packages/next/src/lib/metadata/is-metadata-route.ts,
 * get-metadata-route.ts, build/webpack/loaders/next-metadata-route-loader.ts): which files under
 * the app directory are metadata routes, the URL segment each one answers at, and the content
 * type a static one is served with.
 */

/** The kinds of metadata file. */
export type MetadataKind = 'sitemap' | 'robots' | 'manifest' | 'favicon' | 'icon' | 'apple-icon' | 'opengraph-image' | 'twitter-image'

/** What a metadata file is: its kind, whether it is code (a module) or a file served as is. */
export interface MetadataInfo {
  kind: MetadataKind
  /** A module (`sitemap.ts`, `opengraph-image.tsx`) rather than a file served as it is (`robots.txt`). */
  code: boolean
  /** Code with `generateSitemaps()` / `generateImageMetadata()`: one URL per id (`/sitemap/0.xml`). */
  multi: boolean
  /** The content type a static file is served with; code routes set their own. */
  contentType: string
}

/** Extensions a metadata module may have: Next's default `pageExtensions`. */
export const METADATA_CODE_EXTENSIONS = ['js', 'jsx', 'ts', 'tsx'] as const
const CODE = METADATA_CODE_EXTENSIONS.join('|')

/** The image kinds, with the static extensions Next accepts for each (STATIC_METADATA_IMAGES). */
const IMAGES: ReadonlyArray<[MetadataKind, string]> = [
  ['icon', 'ico|jpg|jpeg|png|svg'],
  ['apple-icon', 'jpg|jpeg|png'],
  ['opengraph-image', 'jpg|jpeg|png|gif'],
  ['twitter-image', 'jpg|jpeg|png|gif'],
]

/** File name patterns: `[kind, rootOnly, regex]`; the regex's group 1 is a static extension, group 2 a code one. */
const PATTERNS: ReadonlyArray<[MetadataKind, boolean, RegExp]> = [
  ['robots', true, new RegExp(`^robots(?:\\.(txt)|\\.(${CODE}))$`)],
  ['manifest', true, new RegExp(`^manifest(?:\\.(webmanifest|json)|\\.(${CODE}))$`)],
  ['favicon', true, /^favicon\.(ico)$/],
  ['sitemap', false, new RegExp(`^sitemap(?:\\.(xml)|\\.(${CODE}))$`)],
  // `icon1.png`, `opengraph-image2.tsx`: one digit numbers several images of a kind.
  ...IMAGES.map(([kind, exts]): [MetadataKind, boolean, RegExp] => [kind, false, new RegExp(`^${kind}\\d?(?:\\.(${exts})|\\.(${CODE}))$`)]),
]

/** Glob patterns (fast-glob) that can name a metadata file; `metadataFile()` decides. */
export const METADATA_GLOBS = ['**/robots.*', '**/manifest.*', '**/favicon.ico', '**/sitemap.*', ...IMAGES.map(([kind]) => `**/${kind}*.*`)]

/**
 * The metadata file `relFile` (relative to the app directory, `/` separators) is, or undefined.
 * `source` reads a module's text, to find `generateSitemaps` / `generateImageMetadata` as Next's
 * build does (by its exports, before anything runs).
 */
export function metadataFile(relFile: string, source: () => string): MetadataInfo | undefined {
  const slash = relFile.lastIndexOf('/')
  const name = relFile.slice(slash + 1)
  for (const [kind, rootOnly, pattern] of PATTERNS) {
    if (rootOnly && slash !== -1) continue
    const match = pattern.exec(name)
    if (!match) continue
    if (match[1] !== undefined) return { kind, code: false, multi: false, contentType: staticContentType(kind, match[1]) }
    const generator = kind === 'sitemap' ? 'generateSitemaps' : kind === 'robots' || kind === 'manifest' ? undefined : 'generateImageMetadata'
    return { kind, code: true, multi: generator !== undefined && exportsName(source(), generator), contentType: '' }
  }
  return undefined
}

/** Whether module text exports `name` (a declaration or an export list), as a static read of its exports. */
function exportsName(text: string, name: string): boolean {
  if (!text.includes(name)) return false
  const declared = new RegExp(`export\\s+(?:async\\s+)?(?:function\\s*\\*?|const|let|var)\\s*${name}\\b`)
  const listed = new RegExp(`export\\s*(?:type\\s+)?\\{[^}]*\\b(?:as\\s+)?${name}\\b[^}]*\\}`)
  return declared.test(text) || listed.test(text)
}

/** Next's content type for a static metadata file (next-metadata-route-loader.ts `getContentType`). */
function staticContentType(kind: MetadataKind, ext: string): string {
  if (kind === 'favicon') return 'image/x-icon'
  if (kind === 'sitemap') return 'application/xml'
  if (kind === 'robots') return 'text/plain'
  if (kind === 'manifest') return 'application/manifest+json'
  return IMAGE_TYPES[ext] ?? 'text/plain'
}

// Next's `imageExtMimeTypeMap`, plus gif (Next's webpack loader answers a gif as text/plain).
const IMAGE_TYPES: Record<string, string> = { jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', ico: 'image/x-icon', svg: 'image/svg+xml', gif: 'image/gif' }

/**
 * The last URL segment(s) of a metadata file in `folders` (the folder names from the app
 * directory, groups included): `robots.txt`, `manifest.webmanifest`, `sitemap.xml`, `icon`,
 * `opengraph-image-1a2b3c` (under a `(group)` or `@slot`, Next adds a hash of the folder path so
 * two groups never collide; never for sitemaps), `sitemap` + an id param for `generateSitemaps`.
 * Static files keep their name and extension (`icon.png`, `manifest.json`).
 */
export function metadataSegments(fileName: string, folders: readonly string[], info: MetadataInfo): string[] {
  const dot = fileName.indexOf('.')
  const base = fileName.slice(0, dot)
  const ext = fileName.slice(dot)
  if (info.kind === 'robots' && info.code) return ['robots.txt']
  if (info.kind === 'manifest' && info.code) return ['manifest.webmanifest']
  const parent = '/' + folders.join('/')
  const suffix = info.kind !== 'sitemap' && folders.some((f) => (f.startsWith('(') && f.endsWith(')')) || f.startsWith('@')) ? `-${djb2Hash(folders.length === 0 ? '/' : parent).toString(36).slice(0, 6)}` : ''
  if (!info.code) return [`${base}${suffix}${ext}`]
  if (info.kind === 'sitemap') return info.multi ? ['sitemap'] : ['sitemap.xml']
  return [`${base}${suffix}`]
}

/** The param a `generateSitemaps` / `generateImageMetadata` id arrives in, as Next names it. */
export const METADATA_ID_PARAM = '__metadata_id__'

/** Next's 32-bit djb2 (packages/next/src/shared/lib/hash.ts), for the group suffix. */
function djb2Hash(text: string): number {
  let hash = 5381
  for (let i = 0; i < text.length; i++) hash = ((hash << 5) + hash + text.charCodeAt(i)) & 0xffffffff
  return hash >>> 0
}
