package dev.tinygen.vaegan.ae;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Checks that a batch holds images of the expected size and gives it as rows of pixels. */
public final class Images {
    private Images() {}

    /**
     * {@code x} as {@code (N, D)}: a {@code (N, D)} array itself, a {@code (N, 1, H, W)} one with {@code H W = D}
     * reshaped (a view when dense).
     *
     * @throws IllegalArgumentException naming {@code where}, the expected size and the shape that came, for any
     *                                  other shape or an empty batch
     */
    public static INDArray flatten(INDArray x, int imageSize, String where) {
        if (x == null) throw new IllegalArgumentException(where + ": images are null");
        long[] s = x.shape();
        boolean rows = s.length == 2 && s[1] == imageSize;
        boolean planes = s.length == 4 && s[1] == 1 && s[2] * s[3] == imageSize;
        if (!rows && !planes)
            throw new IllegalArgumentException("%s: expected images (N, %d) or (N, 1, H, W) with H*W = %d, got %s"
                    .formatted(where, imageSize, imageSize, Arrays.toString(s)));
        if (s[0] == 0) throw new IllegalArgumentException(where + ": expected at least one image, got an empty batch " + Arrays.toString(s));
        return rows ? x : x.reshape('c', s[0], imageSize);                             // (N, D)
    }
}
