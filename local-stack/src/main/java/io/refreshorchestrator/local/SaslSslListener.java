package io.refreshorchestrator.local;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A second client listener of a {@link KafkaBroker}: SASL_SSL, on its own loopback port, accepting
 * SCRAM-SHA-256 and SCRAM-SHA-512 over TLS with the broker's key and certificate from {@code
 * keystore}. The PLAINTEXT listener stays (the broker's own admin client and inter-broker traffic
 * use it); SCRAM users are created through the admin API ({@code alterUserScramCredentials}).
 *
 * @param keystore a PKCS12 keystore holding the broker's key and certificate
 * @param keystorePassword the keystore's (and key's) password
 */
public record SaslSslListener(Path keystore, String keystorePassword) {

    public SaslSslListener {
        Objects.requireNonNull(keystore, "keystore");
        Objects.requireNonNull(keystorePassword, "keystorePassword");
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "SaslSslListener[keystore=" + keystore + "]";
    }
}
