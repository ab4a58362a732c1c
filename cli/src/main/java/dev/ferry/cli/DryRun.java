package dev.ferry.cli;

/** {@code --dry-run}: none (write), client (validate locally only), server (the server decides, writes nothing). */
enum DryRun { NONE, CLIENT, SERVER }
