package dev.tinygen.examples.demo;

import java.util.List;

/** Every concept demo, in the order a course meets them, for registering as sub-commands of {@code tinygen}. */
public final class DemoCommands {
    private DemoCommands() {}

    public static List<Class<?>> all() {
        return List.of(TokenizationDemo.class, BigramDemo.class, TrainingVsGenerationDemo.class, SamplingDemo.class,
                AttentionDemo.class, EmbeddingsDemo.class, PositionalEncodingDemo.class, ParametersDemo.class,
                LossTableDemo.class, GanDemo.class);
    }
}
