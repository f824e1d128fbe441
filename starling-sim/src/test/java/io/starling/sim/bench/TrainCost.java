package io.starling.sim.bench;

import io.starling.core.data.ArrayDataset;
import io.starling.core.model.Model;
import io.starling.core.model.ModelFactory;
import io.starling.core.model.TrainConfig;
import java.util.SplittableRandom;

public final class TrainCost {
    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]);
        SplittableRandom r = new SplittableRandom(1);
        float[] x = new float[n * 60];
        int[] y = new int[n];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        for (int i = 0; i < n; i++) y[i] = r.nextInt(10);
        ArrayDataset d = new ArrayDataset(x, y, 60, 10);
        Model m = ModelFactory.builtIn().create("logreg", 60, 10, 1);
        TrainConfig c = TrainConfig.defaults().withBatchSize(10).withMomentum(0);
        for (int k = 0; k < 20000; k++) m.train(d, c);
        long t0 = System.nanoTime();
        int reps = 50000;
        for (int k = 0; k < reps; k++) m.train(d, c);
        System.out.printf("n=%d: %.1f us per train call, %.2f us per sample%n", n, (System.nanoTime() - t0) / 1e3 / reps, (System.nanoTime() - t0) / 1e3 / reps / n);
    }
}
