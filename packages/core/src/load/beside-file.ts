/** What `proxy.ts` and `instrumentation.ts` share: files Routeware finds beside the app directory. */
import { stat } from 'node:fs/promises'

/** Whether `file` exists and is a file (not a folder). */
export async function isFile(file: string): Promise<boolean> {
  return (await stat(file).catch(() => undefined))?.isFile() ?? false
}

/** An error's message for a sentence of ours: no trailing period. */
export const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error)).replace(/\.$/, '')
