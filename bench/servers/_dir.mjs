/** The bench app directory (absolute, so contenders work from any working directory). */
import { fileURLToPath } from 'node:url'

export const appDir = fileURLToPath(new URL('../app', import.meta.url))
