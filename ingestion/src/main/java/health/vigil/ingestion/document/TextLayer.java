package health.vigil.ingestion.document;

import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.TextPosition;

/**
 * The words of a PDF page's text layer with their positions (PDFBox), in the 300-DPI frame OCR uses.
 * Tika reads the same layer as plain text, without the positions a table needs.
 */
final class TextLayer {

    /** The fewest words a text layer needs to be read instead of the rendered page. */
    static final int MIN_WORDS = 5;

    private static final Pattern READABLE = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}\\p{P}\\p{S}]*");
    private static final double SCALE = PageImages.DPI / 72.0;

    private TextLayer() {}

    /** The words of one page (1-based), positioned; empty if the page has no text layer. */
    static List<Word> words(PDDocument document, int page) throws IOException {
        List<Word> words = new ArrayList<>();
        PDFTextStripper stripper = new PDFTextStripper() {
            @Override
            protected void writeString(String text, List<TextPosition> positions) {
                addWords(positions, words);
            }
        };
        stripper.setSortByPosition(true);
        stripper.setStartPage(page);
        stripper.setEndPage(page);
        stripper.writeText(document, new StringWriter());
        return words;
    }

    /**
     * Whether the layer carries the page's text: enough words, most of them letters and digits. Pages
     * of a scan have none, or an invisible layer of garbage from fonts without a Unicode map.
     */
    static boolean usable(List<Word> words) {
        if (words.size() < MIN_WORDS) {
            return false;
        }
        long readable = words.stream()
                .filter(word -> READABLE.matcher(word.text()).matches())
                .count();
        return readable >= 0.8 * words.size();
    }

    /** Splits a run of glyphs into words at spaces, each with its box. */
    private static void addWords(List<TextPosition> positions, List<Word> words) {
        List<TextPosition> word = new ArrayList<>();
        for (TextPosition position : positions) {
            if (position.getUnicode().isBlank()) {
                add(word, words);
                word = new ArrayList<>();
            } else {
                word.add(position);
            }
        }
        add(word, words);
    }

    private static void add(List<TextPosition> glyphs, List<Word> words) {
        if (glyphs.isEmpty()) {
            return;
        }
        StringBuilder text = new StringBuilder();
        double left = Double.MAX_VALUE;
        double right = -Double.MAX_VALUE;
        double top = Double.MAX_VALUE;
        double baseline = -Double.MAX_VALUE;
        for (TextPosition glyph : glyphs) {
            text.append(glyph.getUnicode());
            left = Math.min(left, glyph.getXDirAdj());
            right = Math.max(right, glyph.getXDirAdj() + glyph.getWidthDirAdj());
            top = Math.min(top, glyph.getYDirAdj() - glyph.getHeightDir());
            baseline = Math.max(baseline, glyph.getYDirAdj());
        }
        words.add(new Word(
                text.toString(),
                left * SCALE,
                top * SCALE,
                (right - left) * SCALE,
                Math.max(baseline - top, 1) * SCALE,
                100f));
    }
}
