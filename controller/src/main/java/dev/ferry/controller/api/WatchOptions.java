package dev.ferry.controller.api;

import java.time.Duration;

/**
 * Limits of the watch WebSocket.
 *
 * @param heartbeat how often a {@code HEARTBEAT} frame is sent
 * @param maxQueuedBytes bytes the socket may hold unsent before the client counts as too slow
 * @param maxPendingFrames frames that may wait for the event loop before the same
 * @param onSlowClient called (on the event loop) each time a slow client is cut off
 */
record WatchOptions(Duration heartbeat, int maxQueuedBytes, int maxPendingFrames, Runnable onSlowClient) {}
