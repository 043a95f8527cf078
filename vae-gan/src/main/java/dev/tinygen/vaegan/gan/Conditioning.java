package dev.tinygen.vaegan.gan;

import java.util.Arrays;
import dev.tinygen.nn.Tensor;
import dev.tinygen.nn.ops.Concat;

/**
 * How the label reaches a conditional generator: its one-hot vector concatenated to the noise. (A conditional
 * discriminator takes it through a {@link LabelProjection} instead.)
 */
final class Conditioning {
    private Conditioning() {}

    /** {@code x} (B, F) with {@code labels} (B, K) appended, or {@code x} itself for an unconditional network. */
    static Tensor append(String where, Tensor x, Tensor labels, int classes) {
        check(where, x, labels, classes);
        return classes == 0 ? x : Concat.apply(1, x, labels);                              // (B, F + K)
    }

    /** Labels are given exactly when the network is conditional, one one-hot row (K wide) per row of {@code x}. */
    static void check(String where, Tensor x, Tensor labels, int classes) {
        if (classes == 0) {
            if (labels != null) throw new IllegalArgumentException(where + ": this network is unconditional, but labels were given");
            return;
        }
        if (labels == null) throw new IllegalArgumentException(where + ": this network is conditional on " + classes + " classes; labels are required");
        if (labels.rank() != 2 || labels.size(0) != x.size(0) || labels.size(1) != classes)
            throw new IllegalArgumentException("%s: expected one-hot labels (%d, %d), got %s"
                    .formatted(where, x.size(0), classes, Arrays.toString(labels.shape())));
    }
}
