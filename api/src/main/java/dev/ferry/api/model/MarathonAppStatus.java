package dev.ferry.api.model;

/** The Marathon app that Ferry owns for a StatefulApp, as last observed. */
public record MarathonAppStatus(String appId, String version, int tasksRunning, int tasksHealthy) {}
