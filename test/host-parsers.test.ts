/**
 * A webhook signature (HMAC over `await request.text()`) verifies behind every host body parser,
 * with a body whose whitespace and number formatting a re-serialization would change.
 */
import { createHmac } from 'node:crypto'
import { expect } from 'vitest'
import { fixture, forEachTarget } from './_suite.js'
import type { HostSetup } from './_targets.js'

const JSON_BODY = '{ "amount" : 10.50,\n  "currency":"EUR", "id": 1e3 }\n'
const FORM_BODY = 'b=2&a=1&name=J%C3%BCrgen+M'
const sign = (body: string) => createHmac('sha256', 'test-secret').update(body).digest('hex')

const setups: Array<[string, HostSetup['hostParser'], string, string, boolean]> = [
  // [title, parser, content-type, body, bytes survive a consuming host parser]
  ['no host parser', undefined, 'application/json', JSON_BODY, true],
  ['express.json({ verify: keepRawBody })', 'json-keep-raw', 'application/json', JSON_BODY, true],
  ['express.raw()', 'raw', 'application/octet-stream', JSON_BODY, true],
  ['express.text()', 'text', 'text/plain; charset=utf-8', JSON_BODY, true],
  ['express.json() without keepRawBody', 'json', 'application/json', JSON_BODY, false],
  ['express.urlencoded()', 'urlencoded', 'application/x-www-form-urlencoded', FORM_BODY, false],
]

for (const [title, hostParser, type, body, kept] of setups) {
  forEachTarget(`webhook behind ${title}`, { options: { dir: fixture('next-api') }, hostParser }, (t) => {
    const verifies = kept || !t.target.hostParsersConsume
    t.test(verifies ? 'the signature over request.text() verifies' : 'request.text() rejects naming the parser and the fix, never re-serialized bytes', async () => {
      const res = await t.http().post('/webhook').set('content-type', type).set('x-signature', sign(body)).send(body)
      if (verifies) {
        expect(res.status).toBe(200)
        expect(res.body).toEqual({ ok: true, length: body.length })
        const forged = await t.http().post('/webhook').set('content-type', type).set('x-signature', sign(body + ' ')).send(body)
        expect(forged.status).toBe(401)
      } else {
        expect(res.status).toBe(500)
        const logs = t.logs().join('\n')
        expect(logs).toContain('was already read by express.')
        expect(logs).toContain('keepRawBody')
      }
    })

    t.test('json() and formData() read the body whoever parsed it', async () => {
      const res = await t.http().post('/parsed').set('content-type', type).send(body)
      if (type === 'application/x-www-form-urlencoded') expect(res.body).toEqual({ form: { b: '2', a: '1', name: 'Jürgen M' } })
      else if (type === 'application/json') expect(res.body).toEqual({ json: { amount: 10.5, currency: 'EUR', id: 1000 } })
      else expect(res.status).toBe(500)
    })
  })
}
