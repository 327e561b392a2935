package health.vigil.ingestion.document;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;

/** Prints a lab report as laboratories do, in a few layouts, then as a scan of that print. */
final class LabReportRenderer {

    enum Layout {
        /** Test, Result, Units, Reference Range, Flag. */
        CLASSIC,
        /** Analyte, Result (flag printed after the value), Units, Reference Interval. */
        FLAG_IN_RESULT,
        /** Test, Result, Flag, Reference Range (unit printed after the range). */
        UNIT_IN_RANGE
    }

    private static final PDType1Font REGULAR = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
    private static final PDType1Font BOLD = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);

    private LabReportRenderer() {}

    /** A text-layer PDF of the report. */
    static byte[] pdf(SyntheaLabReports.Report report, Layout layout) {
        try (PDDocument document = new PDDocument();
                ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDPage page = new PDPage(PDRectangle.LETTER);
            document.addPage(page);
            try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                float y = 740;
                text(content, BOLD, 14, 50, y, "Northside Clinical Laboratory");
                y -= 18;
                text(content, REGULAR, 9, 50, y, "1200 Harbor Road, Springfield  -  CLIA 05D0000000");
                y -= 30;
                text(content, REGULAR, 10, 50, y, "Report: " + report.title());
                y -= 15;
                text(content, REGULAR, 10, 50, y, "Collected: " + report.collected());
                text(content, REGULAR, 10, 330, y, "Specimen: " + report.specimen());
                y -= 30;
                float[] columns = {50, 230, 320, 420, 530};
                List<String> header =
                        switch (layout) {
                            case CLASSIC -> List.of("Test", "Result", "Units", "Reference Range", "Flag");
                            case FLAG_IN_RESULT -> List.of("Analyte", "Result", "Units", "Reference Interval");
                            case UNIT_IN_RANGE -> List.of("Test", "Result", "Flag", "Reference Range");
                        };
                for (int i = 0; i < header.size(); i++) {
                    text(content, BOLD, 10, columns[i], y, header.get(i));
                }
                y -= 18;
                for (SyntheaLabReports.Row row : report.rows()) {
                    List<String> cells =
                            switch (layout) {
                                case CLASSIC -> List.of(row.name(), row.value(), row.unit(), row.range(), row.flag());
                                case FLAG_IN_RESULT -> List.of(
                                        row.name(), (row.value() + " " + row.flag()).strip(), row.unit(), row.range());
                                case UNIT_IN_RANGE -> List.of(
                                        row.name(), row.value(), row.flag(), row.range() + " " + row.unit());
                            };
                    for (int i = 0; i < cells.size(); i++) {
                        text(content, REGULAR, 10, columns[i], y, cells.get(i));
                    }
                    y -= 16;
                }
                y -= 20;
                text(content, REGULAR, 9, 50, y, "End of report. Results reviewed by the laboratory director.");
            }
            document.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The printed page scanned: rendered at {@code dpi}, turned {@code degrees}, speckled with noise. */
    static BufferedImage scan(byte[] pdf, int dpi, double degrees, double noise, long seed) {
        try (PDDocument document = org.apache.pdfbox.Loader.loadPDF(pdf)) {
            BufferedImage image = new PDFRenderer(document).renderImageWithDPI(0, dpi, ImageType.GRAY);
            BufferedImage turned = degrees == 0 ? image : PageImages.rotated(image, degrees);
            Random random = new Random(seed);
            byte[] pixels = ((java.awt.image.DataBufferByte) turned.getRaster().getDataBuffer()).getData();
            for (int i = 0; i < pixels.length; i++) {
                if (random.nextDouble() < noise) {
                    pixels[i] = (byte) (random.nextBoolean() ? 0 : 255);
                } else {
                    int gray = (pixels[i] & 0xff) + (int) (random.nextGaussian() * 12);
                    pixels[i] = (byte) Math.max(0, Math.min(255, gray));
                }
            }
            return turned;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] png(BufferedImage image) {
        return encode(image, "png");
    }

    static byte[] jpeg(BufferedImage image) {
        return encode(image, "jpeg");
    }

    /** A PDF whose one page is the scanned image, as a scanner writes it: no text layer. */
    static byte[] scannedPdf(BufferedImage image, int dpi) {
        try (PDDocument document = new PDDocument();
                ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            float width = image.getWidth() * 72f / dpi;
            float height = image.getHeight() * 72f / dpi;
            PDPage page = new PDPage(new PDRectangle(width, height));
            document.addPage(page);
            PDImageXObject picture = LosslessFactory.createFromImage(document, image);
            try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                content.drawImage(picture, 0, 0, width, height);
            }
            document.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] encode(BufferedImage image, String format) {
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            ImageIO.write(image, format, out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void text(PDPageContentStream content, PDType1Font font, float size, float x, float y, String text)
            throws IOException {
        if (text.isEmpty()) {
            return;
        }
        content.beginText();
        content.setFont(font, size);
        content.newLineAtOffset(x, y);
        content.showText(text);
        content.endText();
    }
}
