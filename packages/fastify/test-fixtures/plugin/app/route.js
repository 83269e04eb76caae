export const GET = () => new Response('root')
