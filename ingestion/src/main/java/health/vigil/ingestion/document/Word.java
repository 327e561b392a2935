package health.vigil.ingestion.document;

/**
 * One word of a page, where it was read and how sure the reader is.
 *
 * <p>Coordinates are pixels of the page at {@link PageImages#DPI} (300 DPI), origin top left, after
 * the page was turned upright and its skew taken out, so that the words of one printed line share a
 * baseline whatever the scan looked like. Text-layer words are scaled to the same frame.
 *
 * @param confidence 0 to 100: Tesseract's word confidence; 100 for a PDF text layer
 */
record Word(String text, double x, double y, double width, double height, float confidence) {

    double right() {
        return x + width;
    }

    double bottom() {
        return y + height;
    }

    /** The same word, as sure as {@code confidence}. */
    Word withConfidence(float confidence) {
        return new Word(text, x, y, width, height, confidence);
    }

    double centerY() {
        return y + height / 2;
    }
}
