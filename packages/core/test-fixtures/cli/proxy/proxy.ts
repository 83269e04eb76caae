export function proxy() {}

export const config = {
  matcher: ['/api/:path*', { source: '/flag', has: [{ type: 'header', key: 'X-Flag', value: 'on' }], missing: [{ type: 'cookie', key: 'skip' }] }],
}
