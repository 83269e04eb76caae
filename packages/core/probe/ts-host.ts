// Imported once with plain import(): it loads only where the host process compiles TypeScript in
// full (tsx, a Vite-based runner). Node's own type stripping refuses the enum and the
// extensionless import, as it refuses them in real Next.js route files.
import { two } from './ts-host-dep'

enum One {
  Value = 1,
}

export const three: number = One.Value + two
