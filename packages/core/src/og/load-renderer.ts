/**
 * `@vercel/og`, found from the app's directory (the user's project, not Routeware's own
 * node_modules), imported once per directory on the first render.
 */
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { routewareError } from '../errors.js'

/** What `@vercel/og`'s `ImageResponse` takes besides the element (its `ImageResponseOptions`). */
export interface ImageOptions {
  /** Default 1200. */
  width?: number
  /** Default 630. */
  height?: number
  emoji?: 'twemoji' | 'blobmoji' | 'noto' | 'openmoji' | 'fluent' | 'fluentFlat'
  fonts?: Array<{ name: string; data: ArrayBuffer | Uint8Array; weight?: 100 | 200 | 300 | 400 | 500 | 600 | 700 | 800 | 900; style?: 'normal' | 'italic'; lang?: string }>
  debug?: boolean
}

/** The part of `@vercel/og` used here. */
export interface OgRenderer {
  ImageResponse: new (element: unknown, options: ImageOptions) => Response
}

const renderers = new Map<string, Promise<OgRenderer>>()

/** `@vercel/og` as resolved from `dir`; rejects with `ROUTEWARE_OG_RENDERER_MISSING` (tried again next time) when it is not installed. */
export function loadRenderer(dir: string): Promise<OgRenderer> {
  let loading = renderers.get(dir)
  if (loading === undefined) {
    loading = (async () => {
      let resolved: string
      try {
        resolved = createRequire(join(dir, 'package.json')).resolve('@vercel/og')
      } catch (error) {
        throw routewareError('ROUTEWARE_OG_RENDERER_MISSING', { dir }, { cause: error })
      }
      return (await import(pathToFileURL(resolved).href)) as OgRenderer
    })()
    renderers.set(dir, loading)
    loading.catch(() => renderers.delete(dir))
  }
  return loading
}
