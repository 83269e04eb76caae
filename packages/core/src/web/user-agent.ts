/** `userAgent()` from `next/server`: the request's User-Agent parsed by ua-parser-js (v1, as Next bundles). */
import UAParser from 'ua-parser-js'

/** What `userAgent()` returns (Next's `UserAgent`). */
export interface UserAgent {
  isBot: boolean
  ua: string
  browser: { name?: string; version?: string; major?: string }
  device: { model?: string; type?: string; vendor?: string }
  engine: { name?: string; version?: string }
  os: { name?: string; version?: string }
  cpu: { architecture?: string }
}

const BOTS =
  /Googlebot|Mediapartners-Google|AdsBot-Google|googleweblight|Storebot-Google|Google-PageRenderer|Bingbot|BingPreview|Slurp|DuckDuckBot|baiduspider|yandex|sogou|LinkedInBot|bitlybot|tumblr|vkShare|quora link preview|facebookexternalhit|facebookcatalog|Twitterbot|applebot|redditbot|Slackbot|Discordbot|WhatsApp|SkypeUriPreview|ia_archiver/i

/** True for the crawlers Next recognizes. */
export function isBot(input: string): boolean {
  return BOTS.test(input)
}

/** Parse a User-Agent string. */
export function userAgentFromString(input: string | undefined): UserAgent {
  const ua = input ?? ''
  return { ...new UAParser(ua).getResult(), isBot: input === undefined ? false : isBot(input) }
}

/** Parse the User-Agent of a request (`userAgent(request)`). */
export function userAgent({ headers }: { headers: Headers }): UserAgent {
  return userAgentFromString(headers.get('user-agent') ?? undefined)
}
