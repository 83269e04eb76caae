/** The part of autocannon's programmatic API the load test uses (the package ships no types). */
declare module 'autocannon' {
  interface AutocannonRequest {
    method?: string
    path?: string
    headers?: Record<string, string>
    body?: string
    onResponse?: (status: number, body: string) => void
  }
  interface AutocannonOptions {
    url: string
    connections?: number
    duration?: number
    amount?: number
    timeout?: number
    requests?: AutocannonRequest[]
  }
  interface Histogram {
    average: number
    p50: number
    p99: number
    max: number
    total: number
  }
  interface AutocannonResult {
    errors: number
    timeouts: number
    non2xx: number
    mismatches: number
    requests: Histogram
    latency: Histogram
  }
  function autocannon(options: AutocannonOptions): Promise<AutocannonResult> & { stop(): void }
  export default autocannon
}
