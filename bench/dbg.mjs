import express from 'express'
import routes from '@routeware/express'
import { appDir } from './servers/_dir.mjs'
const app = express()
app.use(routes({ dir: appDir }))
const s = app.listen(0, async () => {
  const r = await fetch(`http://127.0.0.1:${s.address().port}/stream`, { signal: AbortSignal.timeout(3000) }).then(async r => (await r.arrayBuffer()).byteLength).catch(e => 'ERR ' + e.name)
  console.log(process.version, r)
  s.close(); s.closeAllConnections()
})
