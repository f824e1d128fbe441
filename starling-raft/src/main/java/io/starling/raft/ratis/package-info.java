/**
 * Narrow, documented fixes to Apache Ratis 3.3.0 behaviour that Starling depends on, plugged in
 * through Ratis' own extension points (a user-defined {@link org.apache.ratis.rpc.RpcType}) rather
 * than by patching Ratis. Each class names the upstream issue it works around; remove it when a
 * Ratis release carries the fix.
 */
package io.starling.raft.ratis;
