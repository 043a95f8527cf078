package dev.tinygen.nn;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class GradCheckTest {
    /** y = x^2 with a backward that is off by a factor 1.001: the check must notice. */
    static final class SlightlyWrongSquare extends Op {
        private Tensor x;

        Tensor forward(Tensor x) {
            this.x = x;
            return output(x.value().mul(x.value()), x);
        }

        @Override
        protected void backward(INDArray dy) {
            accumulate(x, dy.mul(x.value()).muli(2 * 1.001));
        }
    }

    static final class Affine extends Module {
        final Parameter w = register("w", new Parameter(new Rng(1).normal(DataType.DOUBLE, 1, 3, 2)));
        final Parameter b = register("b", new Parameter(new Rng(2).normal(DataType.DOUBLE, 1, 2)));

        @Override
        public Tensor forward(Tensor x) {
            return x.matmul(w).add(b);
        }
    }

    @Test
    void catchesAWrongBackward() {
        INDArray x = new Rng(3).normal(DataType.DOUBLE, 1, 4, 3);
        GradCheck.Result r = GradCheck.check(in -> new SlightlyWrongSquare().forward(in.get(0)), x);
        assertFalse(r.passed(), r.toString());
        assertTrue(r.maxRelativeError() > 1e-4, r.toString());
    }

    @Test
    void checksModuleParameters() {
        Affine m = new Affine();
        INDArray x = new Rng(4).normal(DataType.DOUBLE, 1, 5, 3);
        GradCheck.Result r = GradCheck.checkParameters(m.parameters(), () -> m.forward(Tensor.constant(x)),
                GradCheck.EPS, GradCheck.TOLERANCE);
        assertTrue(r.passed(), r.toString());
        // values restored after the check
        assertTrue(m.w.value().equals(new Rng(1).normal(DataType.DOUBLE, 1, 3, 2)));
    }

    @Test
    void refusesFloat32Inputs() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> GradCheck.check(in -> in.get(0), Nd4j.zeros(DataType.FLOAT, 2)));
        assertTrue(e.getMessage().contains("FLOAT"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GradCheck.checkParameters(
                List.of(new Parameter(Nd4j.zeros(DataType.FLOAT, 2))), () -> null, 1e-5, 1e-6));
    }
}
