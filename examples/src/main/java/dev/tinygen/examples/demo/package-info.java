/**
 * The concept demos of the {@code tinygen} command line: one sub-command per idea a generative-AI course teaches
 * (tokenization, the bigram baseline, training versus generation, sampling temperature, attention, embeddings,
 * positional encoding, parameters versus hyperparameters, the loss table from bigram to GPT). Each prints a table,
 * writes its PNGs and CSVs into one output folder and ends with one JSON line of its figures.
 *
 * <p>The pictures are drawn with Java2D: {@link dev.tinygen.examples.demo.Heatmap} (a matrix with a colour scale and
 * token labels), {@link dev.tinygen.examples.demo.ScatterPlot} (labelled points) and nn-core's LinePlot for curves.
 *
 * <p>Shape letters as in the transformer module: {@code B} batch, {@code T} positions, {@code C} embedding width,
 * {@code V} vocabulary, {@code nh} heads, {@code hs} head size.
 */
package dev.tinygen.examples.demo;
