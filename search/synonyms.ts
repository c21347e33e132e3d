/**
 * The synonyms hook: equivalences the index applies to queries (`tv` finds "television").
 * Meilisearch synonyms are one-directional maps; `mutual` expands a group into every direction.
 * Extend the groups here (or pass a different map to `productIndexSettings`) — a reindex or the
 * sync's settings check applies them.
 */
export type Synonyms = Record<string, string[]>;

export function mutual(groups: readonly (readonly string[])[]): Synonyms {
  const out: Synonyms = {};
  for (const group of groups) {
    for (const word of group) {
      const others = group.filter((w) => w !== word);
      out[word] = [...new Set([...(out[word] ?? []), ...others])];
    }
  }
  return out;
}

export const DEFAULT_SYNONYMS: Synonyms = mutual([
  ['tv', 'television'],
  ['phone', 'smartphone', 'cellphone', 'mobile'],
  ['laptop', 'notebook'],
  ['headphones', 'headset', 'earphones'],
  ['sneakers', 'trainers'],
  ['sofa', 'couch'],
  ['tee', 't-shirt', 'tshirt'],
]);
