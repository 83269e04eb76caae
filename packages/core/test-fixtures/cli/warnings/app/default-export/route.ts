export default function handler() {
  return new Response('never served')
}

export const get = () => new Response('lowercase')
