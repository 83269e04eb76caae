/**
 * Route trees Next.js 16 refuses are refused by every entry point, with Next's own message, the
 * error's code and the files involved (Next's build/validate-app-paths.ts and sorted-routes.ts,
 * checked against a running Next.js 16.4.6). What Express does with requests after such a
 * refusal (next(err)) is in adapter-express.test.ts.
 */
import { expect } from 'vitest'
import { forEachTarget, forEachTargetStartup } from './_suite.js'
import { expectRefusal, refusedDir, refusedTrees } from './_refused.js'

for (const tree of refusedTrees) {
  forEachTargetStartup(`refused tree: ${tree.name}`, { options: { dir: refusedDir(tree.name) } }, (t) => {
    t.test('start-up fails with the code and Next\'s message, naming every involved file', () => {
      expectRefusal(t.failure(), tree)
    })

    t.test('a start nobody awaits never rejects unhandled; the refusal surfaces later, the same', async () => {
      const { error, unhandled } = await t.unawaited()
      expect(unhandled).toEqual([])
      expectRefusal(error, tree)
    }, ['unawaited-start'])
  })
}

forEachTarget('accepted tree: blog/[id] + blog/[cid]/comments (Next 16 accepts it)', { options: { dir: refusedDir('accepted-slug-depths') } }, (t) => {
  t.test('serves both routes', async () => {
    await t.http().get('/blog/1').expect(200, { id: '1' })
    await t.http().get('/blog/2/comments').expect(200, { cid: '2' })
  })
})
