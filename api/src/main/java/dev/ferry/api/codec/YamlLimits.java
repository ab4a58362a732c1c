package dev.ferry.api.codec;

/**
 * What a manifest may hold, so that a hostile or broken file cannot exhaust the API server:
 * the size of one document, the number of aliases in it (a "billion laughs" file expands a few
 * aliases into gigabytes) and how deeply it nests.
 */
public record YamlLimits(int maxDocumentBytes, int maxAliases, int maxDepth, int maxDocuments) {

  public static final YamlLimits DEFAULT = new YamlLimits(1 << 20, 50, 64, 1000);
}
