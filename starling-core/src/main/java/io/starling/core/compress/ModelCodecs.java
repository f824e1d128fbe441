package io.starling.core.compress;

/** Looks codecs up by the names used in configs and on the wire. */
public final class ModelCodecs {
    private ModelCodecs() {
    }

    /**
     * Parses a config spec: {@code f32}, {@code f16}, {@code q8} or {@code topk:FRACTION} (e.g.
     * {@code topk:0.1}).
     *
     * @throws IllegalArgumentException naming the accepted forms
     */
    public static ModelCodec parse(String spec) {
        String s = spec == null ? "" : spec.trim();
        if (s.startsWith("topk:")) {
            try {
                return new TopKCodec(Double.parseDouble(s.substring(5)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("topk codec needs a fraction, e.g. topk:0.1, got '" + spec + "'");
            }
        }
        return switch (s) {
            case "", "f32" -> new F32Codec();
            case "f16" -> new F16Codec();
            case "q8" -> new Q8Codec();
            default -> throw new IllegalArgumentException("unknown codec '" + spec
                    + "'; use f32, f16, q8 or topk:FRACTION");
        };
    }

    /**
     * The decoder for a wire name ({@code f32}, {@code f16}, {@code q8}, {@code topk}; empty means
     * f32).
     *
     * @throws MalformedEncodingException for an unknown name
     */
    public static ModelCodec forWireName(String name) {
        return switch (name) {
            case "", "f32" -> new F32Codec();
            case "f16" -> new F16Codec();
            case "q8" -> new Q8Codec();
            case "topk" -> new TopKCodec(1.0);
            default -> throw new MalformedEncodingException("unknown codec '"
                    + (name.length() > 20 ? name.substring(0, 20) + "..." : name) + "'; known: f32, f16, q8, topk");
        };
    }
}
