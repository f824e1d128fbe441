package io.starling.net.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Picks TCP ports for servers whose address must be known before they bind: Raft peers (every
 * replica's address is in the group configuration) and the nodes of a local federation.
 *
 * <p>Why not port 0. The usual trick, binding port 0 and closing the socket, returns a port from
 * the kernel's ephemeral range, which the kernel also hands to outgoing connections. On a busy
 * machine an outgoing connection can take the port before the server binds it; Ratis then stops
 * the JVM ("Failed to start Grpc server"). This class picks ports below that range instead (read
 * from {@code /proc/sys/net/ipv4/ip_local_port_range} where it exists), checks that each can be
 * bound, and never hands out the same port twice in one JVM. Other processes that bind explicit
 * ports can still collide, rarely: callers that can retry should.
 */
public final class FreePorts {
    private static final int LOWEST = 10_000;
    private static final int DEFAULT_EPHEMERAL_START = 32_768;
    private static final int MAX_ATTEMPTS = 200;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();
    /** Read once: the kernel's range does not change under a running JVM in practice. */
    private static final int EPHEMERAL_START = ephemeralRangeStart();

    private FreePorts() {
    }

    /** A loopback port that was free a moment ago and lies outside the kernel's ephemeral range. */
    public static int loopback() {
        return on(InetAddress.getLoopbackAddress());
    }

    /**
     * A port on {@code host} that was free a moment ago and lies outside the kernel's ephemeral
     * range.
     *
     * @throws UncheckedIOException if no such port could be bound after a few hundred tries
     */
    public static int on(InetAddress host) {
        int end = EPHEMERAL_START;
        IOException last = null;
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, end);
            if (!HANDED_OUT.add(port)) {
                continue;
            }
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(host, port), 1);
                return port;
            } catch (IOException e) {
                last = e;
            }
        }
        throw new UncheckedIOException("no free port in " + LOWEST + ".." + (end - 1) + " on " + host
                + " after " + MAX_ATTEMPTS + " tries; free some ports or pass explicit ones", last);
    }

    /** The first port of the kernel's ephemeral range (Linux), or the IANA default elsewhere. */
    static int ephemeralRangeStart() {
        Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        try {
            if (Files.isReadable(range)) {
                String[] bounds = Files.readString(range).trim().split("\\s+");
                int start = Integer.parseInt(bounds[0]);
                if (start > LOWEST + 1_000) {
                    return start;
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through to the default: an unreadable range only costs the wider choice
        }
        return DEFAULT_EPHEMERAL_START;
    }
}
