/** Cheap check that every contender answers the bench request with the same bytes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { contenders } from './servers/_contenders.mjs'

interface Started {
  port: number
  close(): Promise<void>
}

describe.each(contenders)('%s', (name) => {
  let server: Started

  beforeAll(async () => {
    const { start } = (await import(`./servers/${name}.mjs`)) as { start(port: number): Promise<Started> }
    server = await start(0)
  })
  afterAll(() => server?.close())

  it('answers GET /users/123 with 200 and {"id":"123"} as JSON', async () => {
    const response = await fetch(`http://127.0.0.1:${server.port}/users/123`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toContain('application/json')
    expect(Buffer.from(await response.arrayBuffer()).toString('latin1')).toBe('{"id":"123"}')
  })
})
