/**
 * Options are checked once, at start-up, in core: an invalid option or an app directory that does
 * not exist refuses the start on every target, with the option's code and a message naming it and
 * the fix. That Express refuses the invalid ones synchronously, in routes(), is in adapter-express.test.ts.
 */
import { fileURLToPath } from 'node:url'
import { expect } from 'vitest'
import { fixture, forEachTargetStartup, type StartupContext } from './_suite.js'

/** Refused the same when nobody awaits the start, and never as an unhandled rejection. */
function unawaitedToo(t: StartupContext, expected: Record<string, unknown>) {
  t.test('a start nobody awaits never rejects unhandled; the refusal is the same', async () => {
    const { error, unhandled } = await t.unawaited()
    expect(unhandled).toEqual([])
    expect(error).toMatchObject(expected)
  }, ['unawaited-start'])
}

forEachTargetStartup('option bodyLimit: -1', { options: { dir: fixture('basic'), bodyLimit: -1 } }, (t) => {
  const refusal = { code: 'ROUTEWARE_INVALID_OPTION', message: '`bodyLimit` must be a non-negative whole number of bytes; got -1.' }
  t.test('start-up fails naming the option and what it must be', () => {
    expect(t.failure()).toMatchObject(refusal)
  })
  unawaitedToo(t, refusal)
})

forEachTargetStartup('option dir: empty', { options: { dir: '' } }, (t) => {
  const refusal = { code: 'ROUTEWARE_INVALID_OPTION', message: '`dir` must be the app directory: the `dir` option is required, e.g. routes({ dir: "./app" }).' }
  t.test('start-up fails saying dir is required and how to pass it', () => {
    expect(t.failure()).toMatchObject(refusal)
  })
  unawaitedToo(t, refusal)
})

const missing = fileURLToPath(new URL('./fixtures/no-such-tree/app', import.meta.url))

forEachTargetStartup('option dir: a folder that does not exist', { options: { dir: missing } }, (t) => {
  const refusal = {
    code: 'ROUTEWARE_INVALID_OPTION',
    message: `\`dir\` must be the folder that holds your route files: the app directory ${missing} does not exist or is not a directory.`,
  }
  t.test('start-up fails naming the folder and the fix', () => {
    expect(t.failure()).toMatchObject(refusal)
  })
  unawaitedToo(t, refusal)
})

forEachTargetStartup('option previewModeId: too short', { options: { dir: fixture('basic'), previewModeId: 'secret' } }, (t) => {
  const message = "`previewModeId` must be a string of at least 16 letters, digits, '-', '_', '.' or '~', the same on every instance (e.g. crypto.randomBytes(16).toString('hex'))."
  t.test('start-up fails naming the option and its rule, never echoing the secret', () => {
    expect(t.failure()).toMatchObject({ code: 'ROUTEWARE_INVALID_OPTION', message })
    expect(t.failure().message).not.toContain('secret')
  })
  unawaitedToo(t, { code: 'ROUTEWARE_INVALID_OPTION', message })
})

forEachTargetStartup('option shutdownTimeout: -1', { options: { dir: fixture('basic'), shutdownTimeout: -1 } }, (t) => {
  const refusal = { code: 'ROUTEWARE_INVALID_OPTION', message: '`shutdownTimeout` must be a number of milliseconds, 0 or more (0: close without waiting); got -1.' }
  t.test('start-up fails naming the option and what it must be', () => {
    expect(t.failure()).toMatchObject(refusal)
  })
  unawaitedToo(t, refusal)
})

forEachTargetStartup("option logRoutes: 'yes'", { options: { dir: fixture('basic'), logRoutes: 'yes' as unknown as boolean } }, (t) => {
  const refusal = { code: 'ROUTEWARE_INVALID_OPTION', message: '`logRoutes` must be true or false; got "yes".' }
  t.test('start-up fails naming the option and what it must be', () => {
    expect(t.failure()).toMatchObject(refusal)
  })
  unawaitedToo(t, refusal)
})
