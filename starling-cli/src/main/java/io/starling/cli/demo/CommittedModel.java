package io.starling.cli.demo;

import io.starling.core.param.ParamVector;

/**
 * The model of a committed checkpoint as read back from a replica, digest-verified.
 *
 * @param version checkpoint version
 * @param proposer the leader that committed it
 * @param digest SHA-256 of the model bytes
 * @param params the model weights; shared, do not modify
 */
public record CommittedModel(long version, String proposer, String digest, ParamVector params) {
}
