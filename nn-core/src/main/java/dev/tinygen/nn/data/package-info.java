/**
 * Data for training: the {@link dev.tinygen.nn.data.Dataset} interface, a seeded, epoch-shuffling
 * {@link dev.tinygen.nn.data.DataLoader}, in-memory {@link dev.tinygen.nn.data.TensorDataset}s, IDX files
 * ({@link dev.tinygen.nn.data.Idx}), MNIST and Fashion-MNIST ({@link dev.tinygen.nn.data.Mnist}), and plain text
 * corpora ({@link dev.tinygen.nn.data.TextCorpus}).
 *
 * <p>Shape letters are those of {@link dev.tinygen.nn}: {@code N} examples, {@code B} batch, {@code H}, {@code W}
 * image height and width.
 */
package dev.tinygen.nn.data;
