/**
 * Checkpoints: tensors in the safetensors format ({@link dev.tinygen.nn.io.SafeTensors}), and whole models
 * with their optimizer state and metadata ({@link dev.tinygen.nn.io.Checkpoint}). Writes are atomic; reads
 * validate the whole file before anything is allocated or assigned, and refuse a bad file with a
 * {@link dev.tinygen.nn.io.CheckpointException} that names the file, the tensor and the numbers.
 */
package dev.tinygen.nn.io;
