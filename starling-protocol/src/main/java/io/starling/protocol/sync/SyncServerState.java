package io.starling.protocol.sync;

/** Where a {@link SyncServer} is in its round cycle. */
public enum SyncServerState {
    /** Not started. */
    NEW,
    /** Fewer than {@code minClients} clients known; a round starts when enough join. */
    WAITING_FOR_CLIENTS,
    /** A round is open: the model went out and updates are collected until the deadline. */
    COLLECTING
}
