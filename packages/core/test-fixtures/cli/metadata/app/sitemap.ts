export default function sitemap() {
  return [{ url: 'https://acme.com' }]
}
