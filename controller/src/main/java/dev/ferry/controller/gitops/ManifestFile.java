package dev.ferry.controller.gitops;

/** A manifest file at a commit: its path in the repository and its text. */
record ManifestFile(String path, String text) {}
