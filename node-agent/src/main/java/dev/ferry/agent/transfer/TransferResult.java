package dev.ferry.agent.transfer;

/**
 * A completed transfer, as the sender saw it.
 *
 * @param guid the guid of the snapshot the target now holds, equal on both sides
 * @param bytes bytes of stream sent
 */
public record TransferResult(String guid, long bytes) {}
