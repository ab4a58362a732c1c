package dev.ferry.api.tls;

import java.nio.file.Path;

/**
 * One component's TLS material, PEM files: its certificate (chain), its PKCS#8 private key, and
 * the CA it trusts in its peers (servers it calls, clients it accepts).
 *
 * @param certFile the component's certificate, issued by the cluster CA
 * @param keyFile its private key ({@code -----BEGIN PRIVATE KEY-----}), readable by its owner only
 * @param caFile the cluster CA's certificate
 */
public record TlsFiles(Path certFile, Path keyFile, Path caFile) {}
