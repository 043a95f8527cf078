package dev.tinygen.examples.demo;

import java.util.Locale;
import dev.tinygen.transformer.GptConfig;

/** GPT size presets by name, as the demos' {@code --preset} and {@code --sizes} flags spell them. */
public final class Presets {
    private Presets() {}

    public static final String NAMES = "nano, cpuSmall, mini";

    /** {@code nano}, {@code cpuSmall} or {@code mini} (any case) for a vocabulary of {@code vocabSize}. */
    public static GptConfig of(String name, int vocabSize) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "nano" -> GptConfig.nano(vocabSize);
            case "cpusmall", "cpu-small", "small" -> GptConfig.cpuSmall(vocabSize);
            case "mini" -> GptConfig.mini(vocabSize);
            default -> throw new IllegalArgumentException("unknown GPT preset '%s'; expected one of %s".formatted(name, NAMES));
        };
    }
}
