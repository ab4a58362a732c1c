package dev.ferry.controller.auth;

/** Who made a request, as its token says. */
public record Principal(String user, Role role) {}
