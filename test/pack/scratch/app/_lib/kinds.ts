// An enum: code type stripping refuses, so plain `node` must go through Routeware's loader.
export enum Kind {
  Item = 'item',
  Other = 'other',
}

export const label = (kind: Kind): string => `kind:${kind}`
