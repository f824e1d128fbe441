package io.starling.raft.aggregator;

import io.starling.net.transport.FreePorts;
import java.net.InetSocketAddress;
import org.apache.ratis.protocol.RaftPeer;

/**
 * Where an aggregator-eligible replica listens for Raft traffic.
 *
 * @param id stable replica id (also its Ratis peer id), 1..64 chars of {@code [A-Za-z0-9_-]}
 * @param host address to bind and advertise, e.g. {@code 127.0.0.1}
 * @param raftPort Ratis gRPC port
 */
public record PeerAddress(String id, String host, int raftPort) {
    public PeerAddress {
        if (id == null || !id.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new IllegalArgumentException("peer id must be 1..64 chars of [A-Za-z0-9_-], got '" + id + "'");
        }
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("peer host must not be blank");
        }
        if (raftPort < 1 || raftPort > 65535) {
            throw new IllegalArgumentException("raftPort must be 1..65535, got " + raftPort);
        }
    }

    /** A loopback address on a port that was free a moment ago (for tests and local demos). */
    public static PeerAddress loopback(String id) {
        return new PeerAddress(id, "127.0.0.1", FreePorts.loopback());
    }

    public String hostPort() {
        return host + ":" + raftPort;
    }

    RaftPeer toRaftPeer() {
        return RaftPeer.newBuilder().setId(id).setAddress(new InetSocketAddress(host, raftPort).getHostString() + ":" + raftPort).build();
    }

    RaftPeer toRaftListener() {
        return RaftPeer.newBuilder(toRaftPeer()).setStartupRole(org.apache.ratis.proto.RaftProtos.RaftPeerRole.LISTENER).build();
    }
}
