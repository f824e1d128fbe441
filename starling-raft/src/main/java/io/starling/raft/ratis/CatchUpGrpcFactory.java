package io.starling.raft.ratis;

import org.apache.ratis.conf.Parameters;
import org.apache.ratis.grpc.GrpcFactory;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.leader.FollowerInfo;
import org.apache.ratis.server.leader.LeaderState;
import org.apache.ratis.server.leader.LogAppender;

/** Ratis' gRPC transport with {@link CatchUpLogAppender} as the leader's log appender. */
public final class CatchUpGrpcFactory extends GrpcFactory {
    public CatchUpGrpcFactory(Parameters parameters) {
        super(parameters);
    }

    @Override
    public LogAppender newLogAppender(RaftServer.Division server, LeaderState state, FollowerInfo follower) {
        return new CatchUpLogAppender(server, state, follower);
    }
}
