package dev.tinygen.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ModuleBuffersTest {
    private static final class Leaf extends Module {
        final INDArray registered;

        Leaf() {
            register("w", new Parameter(Nd4j.ones(DataType.FLOAT, 2, 2)));
            registered = registerBuffer("count", Nd4j.zeros(DataType.FLOAT, 3));
        }

        INDArray count() {
            return buffer("count");
        }
    }

    private static final class Tree extends Module {
        final Leaf a;
        final Leaf b;

        Tree() {
            registerBuffer("scale", Nd4j.ones(DataType.FLOAT, 1));
            a = register("a", new Leaf());
            b = register("b", new Leaf());
        }
    }

    @Test
    void buffersHaveDottedNamesInRegistrationOrderAndAreNotParameters() {
        Tree t = new Tree();
        assertEquals(List.of("scale", "a.count", "b.count"), List.copyOf(t.namedBuffers().keySet()));
        assertEquals(List.of("a.w", "b.w"), List.copyOf(t.namedParameters().keySet()));
        assertSame(t.a.registered, t.namedBuffers().get("a.count"));
        assertSame(t.a.registered, t.a.count());
        assertThrows(UnsupportedOperationException.class, () -> t.namedBuffers().put("x", Nd4j.zeros(1)));
    }

    @Test
    void toConvertsBuffersAndTheModuleReadsTheNewArrays() {
        Tree t = new Tree();
        t.a.count().assign(7);
        t.to(DataType.DOUBLE);
        for (INDArray b : t.namedBuffers().values()) assertEquals(DataType.DOUBLE, b.dataType());
        assertEquals(DataType.DOUBLE, t.a.count().dataType());
        assertEquals(7.0, t.a.count().getDouble(2), 0.0);
        assertEquals(DataType.FLOAT, t.a.registered.dataType(), "to() replaces the array; the old reference is stale");
    }

    @Test
    void bufferRegisteredInsideAWorkspaceIsKeptOutsideIt() {
        Leaf leaf;
        try (MemoryWorkspace ws = Workspaces.step("module-buffers-test")) {
            leaf = new Leaf();
            assertTrue(Nd4j.zeros(1).isAttached(), "the test needs an active workspace");
        }
        assertFalse(leaf.count().isAttached());
        assertEquals(0.0, leaf.count().sumNumber().doubleValue(), 0.0);
    }

    @Test
    void badNamesAndValuesAreRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Module() {
            {
                register("x", new Parameter(Nd4j.zeros(1)));
                registerBuffer("x", Nd4j.zeros(1));
            }
        });
        assertTrue(e.getMessage().contains("'x' is already registered"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Module() {
            {
                registerBuffer("running.mean", Nd4j.zeros(1));
            }
        });
        assertTrue(e.getMessage().contains("'running.mean'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Module() {
            {
                registerBuffer("steps", Nd4j.zeros(DataType.LONG, 1));
            }
        });
        assertTrue(e.getMessage().contains("'steps'") && e.getMessage().contains("LONG"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Leaf().buffer("cuont"));
        assertTrue(e.getMessage().contains("'cuont'") && e.getMessage().contains("[count]"), e.getMessage());
    }
}
