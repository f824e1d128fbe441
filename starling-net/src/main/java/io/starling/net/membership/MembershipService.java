package io.starling.net.membership;

import io.grpc.stub.StreamObserver;
import io.starling.net.proto.MembershipGrpc;
import io.starling.net.proto.PeerEntry;
import io.starling.net.proto.ShuffleRequest;
import io.starling.net.proto.ShuffleResponse;
import io.starling.net.transport.GrpcErrors;
import io.starling.net.transport.LocalNode;
import io.starling.net.transport.RejectedRequestException;
import io.starling.net.transport.RequestChecks;
import io.starling.protocol.NodeId;
import java.util.ArrayList;
import java.util.List;

/** The Membership gRPC service: checks a shuffle's entries, then hands them to the {@link MembershipBackend}. */
public final class MembershipService extends MembershipGrpc.MembershipImplBase {
    /** Most entries one shuffle may carry. */
    public static final int MAX_ENTRIES = 64;

    private final MembershipBackend backend;
    private final LocalNode self;

    public MembershipService(MembershipBackend backend, LocalNode self) {
        this.backend = backend;
        this.self = self;
    }

    @Override
    public void shuffle(ShuffleRequest r, StreamObserver<ShuffleResponse> out) {
        try {
            NodeId sender = RequestChecks.sender(r.getHeader());
            String senderAddress = PeerAddress.checkAddress("header.sender_address", r.getHeader().getSenderAddress());
            if (r.getEntriesCount() > MAX_ENTRIES) {
                throw RejectedRequestException.malformed("a shuffle carries at most " + MAX_ENTRIES + " entries, got "
                        + r.getEntriesCount());
            }
            List<PeerAddress> entries = new ArrayList<>(r.getEntriesCount());
            for (int i = 0; i < r.getEntriesCount(); i++) {
                PeerEntry e = r.getEntries(i);
                String field = "entries[" + i + "]";
                RequestChecks.requireId(field + ".node_id", e.getNodeId());
                PeerAddress.checkAddress(field + ".address", e.getAddress());
                RequestChecks.inRange(field + ".age", e.getAge(), 0, PeerAddress.MAX_AGE);
                entries.add(new PeerAddress(NodeId.of(e.getNodeId()), e.getAddress(), e.getAge()));
            }
            backend.receiveShuffle(sender, senderAddress, entries, r.getIsReply());
            out.onNext(ShuffleResponse.newBuilder().setHeader(self.header()).build());
            out.onCompleted();
        } catch (RuntimeException e) {
            out.onError(GrpcErrors.toStatus(e));
        }
    }
}
