import { describe, expectTypeOf, test } from 'vitest'
import type { ParamsOf, RouteContext } from './route-context.js'

describe('RouteContext', () => {
  test('[id] gives a string', () => {
    expectTypeOf<RouteContext<'/users/[id]'>>().toEqualTypeOf<{ params: Promise<{ id: string }> }>()
  })

  test('[...slug] gives a string[]', () => {
    expectTypeOf<ParamsOf<'/docs/[...slug]'>>().toEqualTypeOf<{ slug: string[] }>()
  })

  test('[[...slug]] gives an optional string[]', () => {
    expectTypeOf<ParamsOf<'/shop/[[...slug]]'>>().toEqualTypeOf<{ slug?: string[] }>()
    expectTypeOf<ParamsOf<'/shop/[[...slug]]'>['slug']>().toEqualTypeOf<string[] | undefined>()
    const empty: ParamsOf<'/shop/[[...slug]]'> = {}
    expectTypeOf(empty).toEqualTypeOf<{ slug?: string[] }>()
  })

  test('several params, mixed kinds', () => {
    expectTypeOf<ParamsOf<'/orgs/[org]/repos/[repo]/tree/[...path]'>>().toEqualTypeOf<{ org: string; repo: string; path: string[] }>()
    expectTypeOf<ParamsOf<'/[lang]/[[...rest]]'>>().toEqualTypeOf<{ lang: string; rest?: string[] }>()
  })

  test('groups vanish', () => {
    expectTypeOf<ParamsOf<'/(shop)/cart/[item]'>>().toEqualTypeOf<ParamsOf<'/cart/[item]'>>()
    expectTypeOf<ParamsOf<'/(marketing)/(en)/about'>>().toEqualTypeOf<{}>()
  })

  test('static routes and the root: ParamsOf gives {}, and the context holds params undefined, as Next 16.4.6 passes', () => {
    expectTypeOf<ParamsOf<'/about'>>().toEqualTypeOf<{}>()
    expectTypeOf<ParamsOf<'/'>>().toEqualTypeOf<{}>()
    expectTypeOf<RouteContext<'/api/health'>>().toEqualTypeOf<{ params: undefined }>()
    expectTypeOf<RouteContext<'/(group)/about'>>().toEqualTypeOf<{ params: undefined }>()
    expectTypeOf<RouteContext<'/shop/[[...slug]]'>>().toEqualTypeOf<{ params: Promise<{ slug?: string[] }> }>()
  })

  test('a handler reads its params; a wrong param name does not compile', () => {
    async function GET(_request: unknown, { params }: RouteContext<'/users/[id]'>) {
      const { id } = await params
      expectTypeOf(id).toBeString()
      // @ts-expect-error `userId` is not a param of /users/[id]
      const { userId } = await params
      return [id, userId]
    }
    expectTypeOf(GET).parameter(1).toEqualTypeOf<{ params: Promise<{ id: string }> }>()
  })

  test('a context of one route is not the context of another', () => {
    const users = { params: Promise.resolve({ id: '1' }) }
    const handle = (_context: RouteContext<'/docs/[...slug]'>) => {}
    // @ts-expect-error `id: string` is not `slug: string[]`
    handle(users)
  })

  test('a plain string gives the loosest params', () => {
    expectTypeOf<ParamsOf<string>>().toEqualTypeOf<Record<string, string | string[] | undefined>>()
    expectTypeOf<RouteContext<string>>().toEqualTypeOf<{ params: Promise<Record<string, string | string[] | undefined>> | undefined }>()
  })
})
