package io.starling.raft.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starling.core.StarlingException;
import io.starling.raft.aggregator.AggregatorConfig;
import io.starling.raft.aggregator.PeerAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin token: how it is read, compared and kept out of logs. */
class AdminTokenTest {
    private static final String HEX = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path tmp;

    @Test
    void aTokenFileIsReadFromItsFirstLineWithoutSurroundingWhitespace() throws Exception {
        Path file = Files.writeString(tmp.resolve("token"), "  " + HEX + "  \n\n");

        assertThat(AdminToken.readFile(file).matches(HEX)).isTrue();
    }

    @Test
    void onlyTheSameTokenMatches() {
        AdminToken token = AdminToken.of(HEX);

        assertThat(token.matches(HEX)).isTrue();
        assertThat(token.matches(HEX.substring(1) + "0")).isFalse();
        assertThat(token.matches(HEX + "0")).isFalse();
        assertThat(token.matches(null)).isFalse();
    }

    @Test
    void aShortTokenIsRefusedSayingHowToMakeOne() {
        assertThatThrownBy(() -> AdminToken.of("short")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("16..256").hasMessageContaining("openssl rand -hex 32");
    }

    @Test
    void aTokenWithSpacesOrControlCharactersIsRefused() {
        assertThatThrownBy(() -> AdminToken.of(HEX + " x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AdminToken.of(HEX + "\u0001")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEmptyOrMissingTokenFileIsATypedErrorNamingTheFile() throws Exception {
        Path empty = Files.writeString(tmp.resolve("empty"), "\n");

        assertThatThrownBy(() -> AdminToken.readFile(empty)).isInstanceOf(StarlingException.class)
                .hasMessageContaining(empty.toString());
        assertThatThrownBy(() -> AdminToken.readFile(tmp.resolve("missing"))).isInstanceOf(StarlingException.class)
                .hasMessageContaining("missing");
    }

    @Test
    void theTokenNeverShowsInToStringNorInTheReplicaSpecHoldingIt() {
        PeerAddress self = PeerAddress.loopback("probe");
        ReplicaSpec spec = new ReplicaSpec(AggregatorConfig.defaults(UUID.randomUUID().toString()), self, "127.0.0.1",
                1, List.of(self), Map.of(), tmp, ReplicaSpec.DEFAULT_TASK, "vector:1").withAdminToken(AdminToken.of(HEX));

        assertThat(AdminToken.of(HEX).toString()).doesNotContain(HEX);
        assertThat(spec.toString()).doesNotContain(HEX);
    }
}
