export function generateSitemaps() {
  return [{ id: 0 }]
}
export const revalidate = 3600
export default function sitemap() {
  return []
}
