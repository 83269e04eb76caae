// Under a _private folder: never routed, never loaded (it would not even parse).
export const GET = () => {
