package io.starling.node.fallback;

import java.util.Locale;

/**
 * Where a group client got a committed model's blob from, in the order it asks: other clients
 * that already hold it first, then a follower replica, the leader last, so the leader's uplink
 * does not carry one download per client and version.
 */
public enum RelaySource {
    /** Another group client (its {@code Blob} service serves the models it fetched). */
    PEER,
    /** A replica that does not lead; a committed blob is held by a majority of replicas. */
    FOLLOWER,
    /** The serving leader, which holds every committed blob. */
    LEADER;

    /** The lower-case name used as the {@code source} tag of metrics. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
