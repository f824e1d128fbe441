package io.starling.raft.ratis;

import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.rpc.RpcFactory;
import org.apache.ratis.rpc.RpcType;

/**
 * Ratis' gRPC RPC type with {@link CatchUpLogAppender}. Ratis resolves a user-defined RPC type by
 * class name, so {@link #name()} is this class's name; the wire protocol is Ratis' own gRPC, so
 * replicas and clients using the stock type interoperate.
 */
public final class CatchUpGrpcRpcType implements RpcType {
    /** Makes every Ratis server built from {@code properties} use this RPC type. */
    public static void install(RaftProperties properties) {
        RaftConfigKeys.Rpc.setType(properties, new CatchUpGrpcRpcType());
    }

    @Override
    public String name() {
        return CatchUpGrpcRpcType.class.getName();
    }

    @Override
    public RpcFactory newFactory(Parameters parameters) {
        return new CatchUpGrpcFactory(parameters);
    }
}
