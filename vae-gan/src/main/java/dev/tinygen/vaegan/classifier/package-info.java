/**
 * A digit classifier trained by tinygen itself, used as the judge of generated images: it labels samples, gives
 * its confidence, and its penultimate features are the space in which a Frechet distance compares generated digits
 * with real ones.
 *
 * <p>Shape letters: {@code B} batch, {@code C} channels, {@code H}, {@code W} image height and width (28 x 28 for
 * MNIST), {@code D} feature width ({@value dev.tinygen.vaegan.classifier.DigitClassifier#FEATURES}), {@code K}
 * classes (10).
 */
package dev.tinygen.vaegan.classifier;
