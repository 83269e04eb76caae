// Bench (metadata.mjs): a static metadata route, computed once at start-up, served from the cache.
export default function sitemap() {
  return [
    { url: 'https://acme.com', lastModified: '2026-01-01', changeFrequency: 'yearly' as const, priority: 1 },
    { url: 'https://acme.com/about', changeFrequency: 'monthly' as const, priority: 0.8 },
    { url: 'https://acme.com/blog', changeFrequency: 'weekly' as const, priority: 0.5 },
  ]
}
