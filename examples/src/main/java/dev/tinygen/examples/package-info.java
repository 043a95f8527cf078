/**
 * The {@code tinygen} command line: one sub-command per job (train, sample, tokenize, ...). {@link
 * dev.tinygen.examples.Main} is the entry point the {@code ./tinygen} launcher runs.
 */
package dev.tinygen.examples;
