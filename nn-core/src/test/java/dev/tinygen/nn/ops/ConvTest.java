package dev.tinygen.nn.ops;

import static dev.tinygen.nn.TestArrays.assertClose;
import static dev.tinygen.nn.TestArrays.assertGradOk;
import static dev.tinygen.nn.TestArrays.randn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinygen.nn.GradCheck;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ConvTest {
    private final Rng rng = new Rng(11);

    /** Direct definition of PyTorch's conv2d, in doubles: every output element is one sum over (Cin, kH, kW). */
    static INDArray naiveConv(INDArray xa, INDArray wa, INDArray ba, int sH, int sW, int pH, int pW) {
        long[] xs = xa.shape(), ws = wa.shape();
        int n = (int) xs[0], cin = (int) xs[1], h = (int) xs[2], wd = (int) xs[3];
        int cout = (int) ws[0], kh = (int) ws[2], kw = (int) ws[3];
        int ho = (h + 2 * pH - kh) / sH + 1, wo = (wd + 2 * pW - kw) / sW + 1;
        double[] x = doubles(xa), w = doubles(wa), b = ba == null ? null : doubles(ba);
        double[] y = new double[n * cout * ho * wo];
        for (int i = 0; i < n; i++)
            for (int co = 0; co < cout; co++)
                for (int oh = 0; oh < ho; oh++)
                    for (int ow = 0; ow < wo; ow++) {
                        double s = b == null ? 0 : b[co];
                        for (int ci = 0; ci < cin; ci++)
                            for (int a = 0; a < kh; a++)
                                for (int c = 0; c < kw; c++) {
                                    int ih = oh * sH - pH + a, iw = ow * sW - pW + c;
                                    if (ih < 0 || ih >= h || iw < 0 || iw >= wd) continue;
                                    s += x[((i * cin + ci) * h + ih) * wd + iw] * w[((co * cin + ci) * kh + a) * kw + c];
                                }
                        y[((i * cout + co) * ho + oh) * wo + ow] = s;
                    }
        return Nd4j.create(y, new long[] {n, cout, ho, wo}, DataType.DOUBLE);
    }

    /** Transposed convolution as a scatter: each input pixel adds its weighted kernel into the output. */
    static INDArray naiveConvTranspose(INDArray xa, INDArray wa, INDArray ba, int sH, int sW, int pH, int pW, int opH, int opW) {
        long[] xs = xa.shape(), ws = wa.shape();
        int n = (int) xs[0], cin = (int) xs[1], h = (int) xs[2], wd = (int) xs[3];
        int cout = (int) ws[1], kh = (int) ws[2], kw = (int) ws[3];
        int ho = (h - 1) * sH - 2 * pH + kh + opH, wo = (wd - 1) * sW - 2 * pW + kw + opW;
        double[] x = doubles(xa), w = doubles(wa);
        double[] y = new double[n * cout * ho * wo];
        for (int i = 0; i < n; i++)
            for (int ci = 0; ci < cin; ci++)
                for (int ih = 0; ih < h; ih++)
                    for (int iw = 0; iw < wd; iw++) {
                        double v = x[((i * cin + ci) * h + ih) * wd + iw];
                        for (int co = 0; co < cout; co++)
                            for (int a = 0; a < kh; a++)
                                for (int c = 0; c < kw; c++) {
                                    int oh = ih * sH - pH + a, ow = iw * sW - pW + c;
                                    if (oh < 0 || oh >= ho || ow < 0 || ow >= wo) continue;
                                    y[((i * cout + co) * ho + oh) * wo + ow] += v * w[((ci * cout + co) * kh + a) * kw + c];
                                }
                    }
        if (ba != null) {
            double[] b = doubles(ba);
            for (int i = 0; i < n; i++)
                for (int co = 0; co < cout; co++)
                    for (int p = 0; p < ho * wo; p++) y[(i * cout + co) * ho * wo + p] += b[co];
        }
        return Nd4j.create(y, new long[] {n, cout, ho, wo}, DataType.DOUBLE);
    }

    private static double[] doubles(INDArray a) {
        return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    private static Tensor c(INDArray a) {
        return a == null ? null : Tensor.constant(a);
    }

    // B, Cin, Cout, H, W, kH, kW, sH, sW, pH, pW, bias
    @ParameterizedTest
    @CsvSource({
        "2, 3, 4, 7, 5, 3, 3, 1, 1, 1, 1, true",
        "2, 2, 3, 8, 6, 4, 4, 2, 2, 1, 1, false",
        "1, 1, 2, 6, 9, 3, 3, 2, 2, 0, 0, true",
        "3, 2, 2, 5, 5, 4, 4, 1, 1, 0, 0, true",
        "2, 3, 2, 7, 6, 3, 2, 2, 1, 1, 0, true",
        "1, 2, 3, 5, 7, 4, 3, 1, 2, 0, 1, false",
    })
    void convMatchesLoopsAndGradients(int n, int cin, int cout, int h, int w, int kh, int kw, int sH, int sW, int pH, int pW,
                                      boolean bias) {
        INDArray x = randn(rng, n, cin, h, w);
        INDArray wt = randn(rng, cout, cin, kh, kw);
        INDArray b = bias ? randn(rng, cout) : null;
        INDArray got = Conv2d.apply(c(x), c(wt), c(b), sH, sW, pH, pW).value();
        assertClose(naiveConv(x, wt, b, sH, sW, pH, pW), got, 1e-12);
        if (sH == sW && pH == pW)
            assertClose(got, Conv2d.apply(c(x), c(wt), c(b), sH, pH).value(), 0);

        INDArray got32 = Conv2d.apply(c(x.castTo(DataType.FLOAT)), c(wt.castTo(DataType.FLOAT)),
                c(bias ? b.castTo(DataType.FLOAT) : null), sH, sW, pH, pW).value();
        assertEquals(DataType.FLOAT, got32.dataType());
        assertClose(got, got32, 1e-4);

        if (bias) assertGradOk(GradCheck.check(in -> Conv2d.apply(in.get(0), in.get(1), in.get(2), sH, sW, pH, pW), x, wt, b));
        else assertGradOk(GradCheck.check(in -> Conv2d.apply(in.get(0), in.get(1), null, sH, sW, pH, pW), x, wt));
    }

    // B, Cin, Cout, H, W, kH, kW, sH, sW, pH, pW, opH, opW, bias
    @ParameterizedTest
    @CsvSource({
        "2, 3, 2, 4, 3, 3, 3, 1, 1, 1, 1, 0, 0, true",
        "2, 2, 3, 3, 4, 4, 4, 2, 2, 1, 1, 0, 0, false",
        "1, 2, 2, 3, 3, 3, 3, 2, 2, 1, 1, 1, 1, true",
        "2, 1, 2, 3, 2, 3, 3, 2, 2, 0, 0, 1, 1, true",
        "1, 2, 3, 3, 4, 4, 3, 2, 3, 1, 0, 1, 2, false",
        "3, 2, 2, 2, 3, 4, 4, 2, 1, 2, 1, 0, 0, true",
    })
    void convTransposeMatchesScatterAndGradients(int n, int cin, int cout, int h, int w, int kh, int kw, int sH, int sW,
                                                 int pH, int pW, int opH, int opW, boolean bias) {
        INDArray x = randn(rng, n, cin, h, w);
        INDArray wt = randn(rng, cin, cout, kh, kw);
        INDArray b = bias ? randn(rng, cout) : null;
        INDArray got = ConvTranspose2d.apply(c(x), c(wt), c(b), sH, sW, pH, pW, opH, opW).value();
        assertClose(naiveConvTranspose(x, wt, b, sH, sW, pH, pW, opH, opW), got, 1e-12);
        if (sH == sW && pH == pW && opH == opW)
            assertClose(got, ConvTranspose2d.apply(c(x), c(wt), c(b), sH, pH, opH).value(), 0);

        INDArray got32 = ConvTranspose2d.apply(c(x.castTo(DataType.FLOAT)), c(wt.castTo(DataType.FLOAT)),
                c(bias ? b.castTo(DataType.FLOAT) : null), sH, sW, pH, pW, opH, opW).value();
        assertEquals(DataType.FLOAT, got32.dataType());
        assertClose(got, got32, 1e-4);

        if (bias)
            assertGradOk(GradCheck.check(in -> ConvTranspose2d.apply(in.get(0), in.get(1), in.get(2), sH, sW, pH, pW, opH, opW), x, wt, b));
        else
            assertGradOk(GradCheck.check(in -> ConvTranspose2d.apply(in.get(0), in.get(1), null, sH, sW, pH, pW, opH, opW), x, wt));
    }

    /** {@code <conv(x, w), y> == <x, convT(y, w)>}: the transposed convolution is the adjoint of the convolution. */
    @ParameterizedTest
    @CsvSource({
        "2, 3, 4, 7, 5, 3, 1, 1",
        "2, 1, 32, 28, 28, 4, 2, 1",
        "1, 2, 3, 9, 8, 3, 2, 1",
        "2, 3, 2, 6, 7, 4, 3, 0",
    })
    void convTransposeIsAdjointOfConv(int n, int cin, int cout, int h, int w, int k, int s, int p) {
        INDArray x = randn(rng, n, cin, h, w);
        INDArray wt = randn(rng, cout, cin, k, k);
        INDArray y = Conv2d.apply(c(x), c(wt), null, s, p).value();
        INDArray r = randn(rng, y.shape());
        int opH = (h + 2 * p - k) % s, opW = (w + 2 * p - k) % s;
        INDArray xt = ConvTranspose2d.apply(c(r), c(wt), null, s, s, p, p, opH, opW).value();
        assertArrayEquals(x.shape(), xt.shape());
        double lhs = y.mul(r).sumNumber().doubleValue();
        double rhs = x.mul(xt).sumNumber().doubleValue();
        assertEquals(lhs, rhs, 1e-10 * Math.max(1, Math.abs(lhs)));
    }

    /** Backward with only some inputs wanting a gradient (a frozen weight, a data input) gives the same gradients. */
    @Test
    void partialGradientsMatchFullOnes() {
        INDArray x = randn(rng, 2, 3, 6, 5), wc = randn(rng, 4, 3, 3, 3), wt = randn(rng, 3, 4, 3, 3), b = randn(rng, 4);
        INDArray r = randn(rng, 2, 4, 3, 3), rt = randn(rng, 2, 4, 12, 10);
        Tensor[] all = {Tensor.variable(x), Tensor.variable(wc), Tensor.variable(b)};
        Conv2d.apply(all[0], all[1], all[2], 2, 1).backward(r);
        Tensor xOnly = Tensor.variable(x), wOnly = Tensor.variable(wc);
        Conv2d.apply(xOnly, c(wc), c(b), 2, 1).backward(r);
        Conv2d.apply(c(x), wOnly, null, 2, 1).backward(r);
        assertClose(all[0].grad(), xOnly.grad(), 1e-12);
        assertClose(all[1].grad(), wOnly.grad(), 1e-12);

        Tensor[] allT = {Tensor.variable(x), Tensor.variable(wt), Tensor.variable(b)};
        ConvTranspose2d.apply(allT[0], allT[1], allT[2], 2, 1, 1).backward(rt);
        Tensor xOnlyT = Tensor.variable(x), wOnlyT = Tensor.variable(wt), bOnlyT = Tensor.variable(b);
        ConvTranspose2d.apply(xOnlyT, c(wt), null, 2, 1, 1).backward(rt);
        ConvTranspose2d.apply(c(x), wOnlyT, bOnlyT, 2, 1, 1).backward(rt);
        assertClose(allT[0].grad(), xOnlyT.grad(), 1e-12);
        assertClose(allT[1].grad(), wOnlyT.grad(), 1e-12);
        assertClose(allT[2].grad(), bOnlyT.grad(), 1e-12);
    }

    @Test
    void mnistShapes() {
        Tensor img = c(Nd4j.zeros(DataType.FLOAT, 4, 1, 28, 28));
        Tensor h1 = Conv2d.apply(img, c(Nd4j.zeros(DataType.FLOAT, 32, 1, 4, 4)), null, 2, 1);
        assertArrayEquals(new long[] {4, 32, 14, 14}, h1.shape());
        Tensor h2 = Conv2d.apply(h1, c(Nd4j.zeros(DataType.FLOAT, 64, 32, 4, 4)), null, 2, 1);
        assertArrayEquals(new long[] {4, 64, 7, 7}, h2.shape());
        Tensor u1 = ConvTranspose2d.apply(h2, c(Nd4j.zeros(DataType.FLOAT, 64, 32, 4, 4)), null, 2, 1);
        assertArrayEquals(new long[] {4, 32, 14, 14}, u1.shape());
        Tensor u2 = ConvTranspose2d.apply(u1, c(Nd4j.zeros(DataType.FLOAT, 32, 1, 4, 4)), null, 2, 1);
        assertArrayEquals(new long[] {4, 1, 28, 28}, u2.shape());
        Tensor u3 = ConvTranspose2d.apply(c(Nd4j.zeros(DataType.FLOAT, 4, 8, 14, 14)),
                c(Nd4j.zeros(DataType.FLOAT, 8, 1, 3, 3)), null, 2, 1, 1);
        assertArrayEquals(new long[] {4, 1, 28, 28}, u3.shape());
    }

    private static void assertMessage(Runnable r, String... parts) {
        var e = assertThrows(IllegalArgumentException.class, r::run);
        for (String p : parts) assertTrue(e.getMessage().contains(p), "'" + p + "' not in: " + e.getMessage());
    }

    @Test
    void convBadInputsNameTheNumbers() {
        Tensor x = c(Nd4j.zeros(DataType.DOUBLE, 2, 3, 5, 5));
        assertMessage(() -> Conv2d.apply(x, c(Nd4j.zeros(DataType.DOUBLE, 4, 2, 3, 3)), null, 1, 0),
                "conv2d", "3 channels", "[4, 2, 3, 3]", "expects 2");
        assertMessage(() -> Conv2d.apply(c(Nd4j.zeros(DataType.DOUBLE, 3, 5, 5)), c(Nd4j.zeros(DataType.DOUBLE, 4, 3, 3, 3)), null, 1, 0),
                "conv2d", "rank 4", "[3, 5, 5]");
        assertMessage(() -> Conv2d.apply(x, c(Nd4j.zeros(DataType.DOUBLE, 4, 3, 3)), null, 1, 0),
                "conv2d weight", "rank 4", "[4, 3, 3]");
        assertMessage(() -> Conv2d.apply(x, c(Nd4j.zeros(DataType.DOUBLE, 4, 3, 8, 8)), null, 1, 1),
                "conv2d", "kernel 8x8", "padded input 7x7");
        assertMessage(() -> Conv2d.apply(x, c(Nd4j.zeros(DataType.DOUBLE, 4, 3, 3, 3)), c(Nd4j.zeros(DataType.DOUBLE, 5)), 1, 0),
                "conv2d", "bias", "[4]", "[5]");
        assertMessage(() -> Conv2d.apply(x, c(Nd4j.zeros(DataType.DOUBLE, 4, 3, 3, 3)), null, 0, 0),
                "conv2d", "stride (0, 0)");
        assertMessage(() -> Conv2d.apply(x, c(Nd4j.zeros(DataType.FLOAT, 4, 3, 3, 3)), null, 1, 0),
                "conv2d", "DOUBLE", "FLOAT");
    }

    @Test
    void convTransposeBadInputsNameTheNumbers() {
        Tensor x = c(Nd4j.zeros(DataType.DOUBLE, 2, 3, 5, 5));
        assertMessage(() -> ConvTranspose2d.apply(x, c(Nd4j.zeros(DataType.DOUBLE, 4, 2, 3, 3)), null, 1, 0),
                "convTranspose2d", "3 channels", "[4, 2, 3, 3]", "expects 4");
        assertMessage(() -> ConvTranspose2d.apply(c(Nd4j.zeros(DataType.DOUBLE, 2, 3, 5, 5, 1)), c(Nd4j.zeros(DataType.DOUBLE, 3, 4, 3, 3)), null, 1, 0),
                "convTranspose2d", "rank 4", "[2, 3, 5, 5, 1]");
        assertMessage(() -> ConvTranspose2d.apply(x, c(Nd4j.zeros(DataType.DOUBLE, 3, 4, 3, 3)), null, 2, 0, 2),
                "convTranspose2d", "output padding (2, 2)", "stride (2, 2)");
        assertMessage(() -> ConvTranspose2d.apply(c(Nd4j.zeros(DataType.DOUBLE, 2, 3, 1, 1)), c(Nd4j.zeros(DataType.DOUBLE, 3, 4, 2, 2)), null, 1, 1),
                "convTranspose2d", "output would be 0x0", "kernel 2x2", "padding (1, 1)");
        assertMessage(() -> ConvTranspose2d.apply(x, c(Nd4j.zeros(DataType.DOUBLE, 3, 4, 3, 3)), c(Nd4j.zeros(DataType.DOUBLE, 3)), 1, 0),
                "convTranspose2d", "bias", "[4]", "[3]");
    }
}
