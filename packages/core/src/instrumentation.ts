/** `@routeware/core/instrumentation`: the types of `instrumentation.ts` (`Instrumentation.onRequestError`). */
export type { Instrumentation, InstrumentationOnRequestError, RequestErrorContext, RequestErrorRequest } from './types/instrumentation.js'
