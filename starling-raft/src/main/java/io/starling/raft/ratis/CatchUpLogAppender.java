package io.starling.raft.ratis;

import org.apache.ratis.grpc.server.GrpcLogAppender;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.leader.FollowerInfo;
import org.apache.ratis.server.leader.LeaderState;

/**
 * Ratis' gRPC log appender, except that a follower's own word on where its log stops wins over a
 * match index the leader believes but the follower contradicts.
 *
 * <p>Why. On an INCONSISTENCY reply Ratis 3.3 never moves a follower's next index below its match
 * index + 1. That match index can be wrong: a successful heartbeat reply carries the follower's
 * last index, and a follower that restarts with entries the old leader appended but never
 * committed (a divergent tail) reports that tail (upstream RATIS-2605); a follower whose data
 * directory was wiped is held above its empty log the same way (RATIS-2523). The leader then
 * alternates between two next indexes that both miss the common prefix, sends no entries, and the
 * follower never catches up while the group is idle. {@code FailoverTest} hit this when a killed
 * leader was restarted.
 *
 * <p>Rule. When the follower's reply asks for an index at or below the believed match index, the
 * leader takes the follower's word, stepping back at least one index so every round makes
 * progress. Raft's log matching check on the follower keeps this safe: entries are only appended
 * after a previous entry that matches, and a wrong guess costs one more round trip. The leader's
 * match index itself can only grow in Ratis, so it stays too high until the follower catches up.
 */
public final class CatchUpLogAppender extends GrpcLogAppender {
    public CatchUpLogAppender(RaftServer.Division server, LeaderState leaderState, FollowerInfo follower) {
        super(server, leaderState, follower);
    }

    @Override
    protected long getNextIndexForInconsistency(long requestFirstIndex, long replyNextIndex) {
        return nextIndexForInconsistency(requestFirstIndex, replyNextIndex, getFollower().getMatchIndex(),
                super.getNextIndexForInconsistency(requestFirstIndex, replyNextIndex));
    }

    /**
     * The next index to send from after an INCONSISTENCY reply.
     *
     * @param requestFirstIndex the first index of the request that was refused
     * @param replyNextIndex where the follower says its log needs entries from
     * @param matchIndex what the leader believes the follower holds
     * @param ratisChoice what Ratis would choose
     */
    static long nextIndexForInconsistency(long requestFirstIndex, long replyNextIndex, long matchIndex, long ratisChoice) {
        if (replyNextIndex > matchIndex) {
            return ratisChoice;
        }
        long next = Math.max(0, replyNextIndex);
        return next >= requestFirstIndex && next > 0 ? requestFirstIndex - 1 : next;
    }
}
