package io.starling.net.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.starling.net.blob.BlobClient;
import io.starling.net.blob.BlobDigest;
import io.starling.net.blob.BlobService;
import io.starling.net.blob.BlobStore;
import io.starling.net.proto.BlobGrpc;
import io.starling.net.proto.StatRequest;
import io.starling.protocol.NodeId;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MutualTlsTest {
    @TempDir
    Path dir;

    @Test
    void aClientWithACertificateFromTheClusterCaCompletesARoundTripOverMutualTls() throws Exception {
        TestPki pki = new TestPki();
        Path serverDir = Files.createDirectories(dir.resolve("server"));
        Path clientDir = Files.createDirectories(dir.resolve("client"));
        TransportOptions serverOptions = TransportOptions.defaults().withTls(pki.issue("server", serverDir, true));
        TransportOptions clientOptions = TransportOptions.defaults().withTls(pki.issue("client", clientDir, true));
        BlobStore store = BlobStore.open(dir.resolve("store"));
        LocalNode client = LocalNode.of("client", "");
        try (NetServer server = NetServer.builder("127.0.0.1", 0, serverOptions)
                .addService(new BlobService(store, LocalNode.of("server", "127.0.0.1:0"))).start();
             PeerChannels channels = new PeerChannels(client, clientOptions, null)) {
            byte[] model = new byte[200_000];
            new java.util.Random(1).nextBytes(model);
            BlobClient.UploadResult result = BlobClient.of(channels.to(NodeId.of("server"), server.address()), client)
                    .upload(model);
            assertThat(store.read(result.digest())).isEqualTo(model);
        }
    }

    @Test
    void aClientWithoutACertificateIsRefusedByAServerThatRequiresOne() throws Exception {
        TestPki pki = new TestPki();
        Path serverDir = Files.createDirectories(dir.resolve("server"));
        TransportOptions serverOptions = TransportOptions.defaults().withTls(pki.issue("server", serverDir, true));
        TestPki stranger = new TestPki();
        Path strangerDir = Files.createDirectories(dir.resolve("stranger"));
        TlsConfig strangerTls = stranger.issue("stranger", strangerDir, true);
        // Trusts the server's CA but presents a certificate from another CA.
        TransportOptions strangerOptions = TransportOptions.defaults().withTls(new TlsConfig(
                strangerTls.certChainPem(), strangerTls.privateKeyPem(), pki.writeCa(strangerDir), true));
        LocalNode client = LocalNode.of("stranger", "");
        try (NetServer server = NetServer.builder("127.0.0.1", 0, serverOptions)
                .addService(new BlobService(BlobStore.open(dir.resolve("store")), LocalNode.of("server", ""))).start();
             PeerChannels channels = new PeerChannels(client, strangerOptions, null)) {
            var stub = BlobGrpc.newBlockingStub(channels.to(NodeId.of("server"), server.address()));
            assertThatThrownBy(() -> stub.stat(StatRequest.newBuilder().setHeader(client.header())
                    .setDigest(BlobDigest.of(new byte[1]).hex()).build()))
                    .satisfies(e -> assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        }
    }
}
