package dev.ferry.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** A ZFS snapshot: its short name (after the {@code @}), its guid, and when it was taken. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Snapshot(String name, String guid, Instant created) {}
