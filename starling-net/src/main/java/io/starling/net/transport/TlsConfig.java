package io.starling.net.transport;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import io.starling.core.StarlingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * TLS material for a node, as PEM files: its certificate chain and PKCS#8 private key, and the
 * CA certificates it trusts for peers. With {@code requireClientAuth} servers demand a client
 * certificate signed by a trusted CA (mutual TLS), which is how a federation keeps strangers out.
 *
 * @param certChainPem this node's certificate chain (PEM)
 * @param privateKeyPem this node's private key (PKCS#8 PEM)
 * @param trustedCaPem CA certificates that peers' certificates must chain to (PEM)
 * @param requireClientAuth servers require and verify client certificates
 */
public record TlsConfig(Path certChainPem, Path privateKeyPem, Path trustedCaPem, boolean requireClientAuth) {
    public TlsConfig {
        Objects.requireNonNull(certChainPem, "certChainPem");
        Objects.requireNonNull(privateKeyPem, "privateKeyPem");
        Objects.requireNonNull(trustedCaPem, "trustedCaPem");
        for (Path p : new Path[] {certChainPem, privateKeyPem, trustedCaPem}) {
            if (!Files.isReadable(p)) {
                throw new StarlingException("TLS file " + p + " does not exist or is not readable");
            }
        }
    }

    /** Server credentials: TLS with this node's key, mutual when {@link #requireClientAuth}. */
    public ServerCredentials serverCredentials() {
        try {
            return TlsServerCredentials.newBuilder()
                    .keyManager(certChainPem.toFile(), privateKeyPem.toFile())
                    .trustManager(trustedCaPem.toFile())
                    .clientAuth(requireClientAuth ? TlsServerCredentials.ClientAuth.REQUIRE
                            : TlsServerCredentials.ClientAuth.OPTIONAL)
                    .build();
        } catch (IOException e) {
            throw new StarlingException("cannot load TLS server credentials: " + e.getMessage(), e);
        }
    }

    /** Channel credentials: trusts the CA and presents this node's certificate. */
    public ChannelCredentials channelCredentials() {
        try {
            return TlsChannelCredentials.newBuilder()
                    .keyManager(certChainPem.toFile(), privateKeyPem.toFile())
                    .trustManager(trustedCaPem.toFile())
                    .build();
        } catch (IOException e) {
            throw new StarlingException("cannot load TLS channel credentials: " + e.getMessage(), e);
        }
    }

    /** Plaintext server credentials, for {@code tls == null}. */
    static ServerCredentials serverCredentials(TlsConfig tls) {
        return tls == null ? InsecureServerCredentials.create() : tls.serverCredentials();
    }

    /** Plaintext channel credentials, for {@code tls == null}. */
    static ChannelCredentials channelCredentials(TlsConfig tls) {
        return tls == null ? InsecureChannelCredentials.create() : tls.channelCredentials();
    }
}
