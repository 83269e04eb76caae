// An instrumentation.ts with only register() (issue #13's speed check: it must cost a GET nothing).
export function register(): void {
  ;(globalThis as { registered?: boolean }).registered = true
}
