package io.starling.net.fault;

import io.grpc.stub.StreamObserver;
import io.starling.net.proto.FaultControlGrpc;
import io.starling.net.proto.FaultRules;
import io.starling.net.proto.GetRulesRequest;
import io.starling.net.transport.GrpcErrors;
import io.starling.net.transport.RejectedRequestException;
import java.util.ArrayList;
import java.util.List;

/**
 * Lets a test harness in another process switch a node's {@link FaultInjector} rules at run time.
 * Register it only on nodes started with fault injection enabled.
 */
public final class FaultControlService extends FaultControlGrpc.FaultControlImplBase {
    /** Most rules one SetRules may carry. */
    public static final int MAX_RULES = 1024;

    private final FaultInjector faults;

    public FaultControlService(FaultInjector faults) {
        this.faults = faults;
    }

    @Override
    public void setRules(FaultRules request, StreamObserver<FaultRules> out) {
        try {
            if (request.getRulesCount() > MAX_RULES) {
                throw RejectedRequestException.malformed("at most " + MAX_RULES + " fault rules, got "
                        + request.getRulesCount());
            }
            List<FaultRule> rules = new ArrayList<>();
            for (int i = 0; i < request.getRulesCount(); i++) {
                var r = request.getRules(i);
                try {
                    rules.add(new FaultRule(r.getFrom(), r.getTo(), r.getDropProbability(), r.getDelayMs(),
                            r.getDuplicateProbability()));
                } catch (IllegalArgumentException e) {
                    throw RejectedRequestException.malformed("rules[" + i + "]: " + e.getMessage());
                }
            }
            faults.setRules(rules);
            out.onNext(toProto(faults.rules()));
            out.onCompleted();
        } catch (RuntimeException e) {
            out.onError(GrpcErrors.toStatus(e));
        }
    }

    @Override
    public void getRules(GetRulesRequest request, StreamObserver<FaultRules> out) {
        out.onNext(toProto(faults.rules()));
        out.onCompleted();
    }

    /** The wire form of {@code rules}. */
    public static FaultRules toProto(List<FaultRule> rules) {
        FaultRules.Builder b = FaultRules.newBuilder();
        for (FaultRule r : rules) {
            b.addRules(io.starling.net.proto.FaultRule.newBuilder()
                    .setFrom(r.from()).setTo(r.to())
                    .setDropProbability(r.dropProbability())
                    .setDelayMs(r.delayMs())
                    .setDuplicateProbability(r.duplicateProbability()));
        }
        return b.build();
    }
}
