/**
 * <b>For fault testing</b>: a fault-injecting layer for the replicated aggregator's traffic, driven
 * at run time by the rules of one {@code starling-net} {@link io.starling.net.fault.FaultInjector}
 * (drop, delay; partition, isolate, heal).
 *
 * <ul>
 *   <li>{@link io.starling.raft.fault.RaftFaultInjection}: Raft messages between replicas
 *       (through Ratis' own code-injection hooks, since Ratis uses its own shaded gRPC);
 *   <li>{@link io.starling.raft.fault.FaultInjectingBlobReplicator}: model blobs between
 *       replicas;
 *   <li>{@link io.starling.raft.fault.FaultInjectingEndpoint}: client submissions to replicas.
 * </ul>
 *
 * Used together with one injector, a single {@code partition(sideA, sideB)} call cuts every kind
 * of traffic between the two sides, and {@code clear()} heals it. Nothing here is active unless a
 * test or a fault drill installs it.
 */
package io.starling.raft.fault;
