/** PNG output with the JDK alone: line charts of training curves and grids of images. */
package dev.tinygen.nn.plot;
