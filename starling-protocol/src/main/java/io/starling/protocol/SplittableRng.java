package io.starling.protocol;

import java.util.SplittableRandom;

/** {@link Rng} over the JDK's {@link SplittableRandom}: fast, seedable and splittable. */
public final class SplittableRng implements Rng {
    private final SplittableRandom random;

    private SplittableRng(SplittableRandom random) {
        this.random = random;
    }

    public static SplittableRng seeded(long seed) {
        return new SplittableRng(new SplittableRandom(seed));
    }

    @Override
    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    @Override
    public double nextDouble() {
        return random.nextDouble();
    }

    @Override
    public long nextLong() {
        return random.nextLong();
    }

    @Override
    public Rng split() {
        return new SplittableRng(random.split());
    }
}
