package io.starling.net.membership;

import io.starling.protocol.NodeId;
import java.util.List;

/** What a {@link MembershipService} needs from the node behind it. */
public interface MembershipBackend {
    /**
     * Takes a checked shuffle message from {@code sender} (listening at {@code senderAddress});
     * the node's peer-sampling state machine answers it with a reply shuffle when it is a request.
     */
    void receiveShuffle(NodeId sender, String senderAddress, List<PeerAddress> entries, boolean isReply);
}
