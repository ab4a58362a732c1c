package dev.ferry.api.codec;

/**
 * What a manifest may hold, so that a hostile or broken file cannot exhaust the API server:
 * the size of one document, the number of aliases in it (a "billion laughs" file expands a few
 * aliases into gigabytes) and how deeply it nests, and how many nodes (keys, values, list items)
 * one document may expand to once every alias is replaced by what it refers to: a handful of
 * aliases, each a list of aliases of the one before, expands exponentially (3^16 nodes from 48).
 */
public record YamlLimits(int maxDocumentBytes, int maxAliases, int maxDepth, int maxDocuments, long maxNodes) {

  /** A manifest holds hundreds of nodes; 100,000 leaves room for big ones and builds in milliseconds. */
  public static final YamlLimits DEFAULT = new YamlLimits(1 << 20, 50, 64, 1000, 100_000);
}
