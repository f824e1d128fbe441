package io.starling.core.aggregate;

/**
 * A rule was constructed with a parameter outside its range. An {@link IllegalArgumentException}
 * (a programming error when it comes from code) that also names the parameter by its spec key,
 * so {@link AggregationRules#parse} can point at the offending token.
 */
public final class InvalidRuleParameterException extends IllegalArgumentException {
    private final String parameter;

    public InvalidRuleParameterException(String parameter, String message) {
        super(message);
        this.parameter = parameter;
    }

    /** The parameter's key in a rule spec, e.g. {@code lr} or {@code f}. */
    public String parameter() {
        return parameter;
    }
}
