package health.vigil.ingestion.document;

import health.vigil.ingestion.api.FeedException;
import health.vigil.ingestion.api.IngestionErrors;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.w3c.dom.Node;

/**
 * Pages as 8-bit grayscale images at 300 DPI, the resolution Tesseract reads best: PDF pages rendered
 * (PDFBox), images decoded (ImageIO: PNG, JPEG, TIFF with all its pages) and scaled from the resolution
 * they declare. Sizes are checked before any pixel is decoded, so a small file that declares a huge image
 * (a decompression bomb) costs nothing.
 */
final class PageImages {

    static final int DPI = 300;

    /** Declared resolutions outside this are taken as missing (a camera's 72 DPI says nothing). */
    private static final int MIN_DECLARED_DPI = 100;

    private static final int MAX_DECLARED_DPI = 1200;

    private final long maxPixels;

    PageImages(long maxPixels) {
        this.maxPixels = maxPixels;
    }

    /** One page (0-based) of a PDF at 300 DPI, or less if 300 DPI would exceed the pixel limit. */
    BufferedImage render(PDDocument document, int pageIndex) throws IOException {
        PDRectangle box = document.getPage(pageIndex).getCropBox();
        double inches = (box.getWidth() / 72.0) * (box.getHeight() / 72.0);
        float dpi = DPI;
        if (inches * DPI * DPI > maxPixels) {
            dpi = (float) Math.sqrt(maxPixels / inches);
        }
        BufferedImage image = new PDFRenderer(document).renderImageWithDPI(pageIndex, dpi, ImageType.GRAY);
        return dpi == DPI ? image : scaled(image, DPI / dpi);
    }

    /**
     * Every image of an image file (a TIFF may hold several pages), grayscale, at 300 DPI where the file
     * declares its resolution and as it is where it does not.
     *
     * @throws FeedException {@code PAYLOAD_TOO_LARGE} for more than {@code maxPages} images or an image
     *     of more than the pixel limit; {@code UNREADABLE_DOCUMENT} when the file cannot be decoded
     */
    List<BufferedImage> decode(byte[] content, int maxPages) {
        try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(content))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
            if (!readers.hasNext()) {
                throw new FeedException(IngestionErrors.UNREADABLE_DOCUMENT, "the image cannot be decoded");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(input, false, true);
                List<BufferedImage> pages = new ArrayList<>();
                for (int index = 0; hasImage(reader, index); index++) {
                    if (index >= maxPages) {
                        throw new FeedException(
                                IngestionErrors.PAYLOAD_TOO_LARGE,
                                "the image file holds more than " + maxPages + " pages");
                    }
                    long pixels = (long) reader.getWidth(index) * reader.getHeight(index);
                    if (pixels > maxPixels) {
                        throw new FeedException(
                                IngestionErrors.PAYLOAD_TOO_LARGE,
                                "page " + (index + 1) + " is " + reader.getWidth(index) + "x"
                                        + reader.getHeight(index) + " pixels; at most " + maxPixels
                                        + " pixels are read");
                    }
                    double dpi = declaredDpi(reader.getImageMetadata(index));
                    BufferedImage gray = grayscale(reader.read(index));
                    pages.add(dpi > 0 && Math.abs(dpi - DPI) > 1 ? scaled(gray, DPI / dpi) : gray);
                }
                return pages;
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof FeedException feed) {
                throw feed;
            }
            throw new FeedException(
                    IngestionErrors.UNREADABLE_DOCUMENT, "the image cannot be decoded: " + e.getMessage(), e);
        }
    }

    private static boolean hasImage(ImageReader reader, int index) throws IOException {
        try {
            reader.getWidth(index);
            return true;
        } catch (IndexOutOfBoundsException e) {
            return false;
        }
    }

    /** The resolution the image declares (standard metadata, pixel size in mm), or 0 if none believable. */
    private static double declaredDpi(IIOMetadata metadata) {
        if (metadata == null || !metadata.isStandardMetadataFormatSupported()) {
            return 0;
        }
        Node root = metadata.getAsTree("javax_imageio_1.0");
        for (Node child = root.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (!"Dimension".equals(child.getNodeName())) {
                continue;
            }
            for (Node size = child.getFirstChild(); size != null; size = size.getNextSibling()) {
                if ("HorizontalPixelSize".equals(size.getNodeName())) {
                    String value = ((IIOMetadataNode) size).getAttribute("value");
                    try {
                        double dpi = 25.4 / Double.parseDouble(value);
                        return dpi >= MIN_DECLARED_DPI && dpi <= MAX_DECLARED_DPI ? dpi : 0;
                    } catch (NumberFormatException e) {
                        return 0;
                    }
                }
            }
        }
        return 0;
    }

    static BufferedImage grayscale(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_BYTE_GRAY) {
            return image;
        }
        BufferedImage gray = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D graphics = gray.createGraphics();
        // Transparent pixels (a PNG's background) are white paper, not black.
        graphics.setColor(Color.WHITE);
        graphics.fillRect(0, 0, image.getWidth(), image.getHeight());
        graphics.drawImage(image, 0, 0, null);
        graphics.dispose();
        return gray;
    }

    static BufferedImage scaled(BufferedImage image, double factor) {
        int width = Math.max(1, (int) Math.round(image.getWidth() * factor));
        int height = Math.max(1, (int) Math.round(image.getHeight() * factor));
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D graphics = out.createGraphics();
        graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        graphics.drawImage(image, 0, 0, width, height, null);
        graphics.dispose();
        return out;
    }

    /** The image turned by {@code degrees} clockwise, on a canvas that holds all of it, white around. */
    static BufferedImage rotated(BufferedImage image, double degrees) {
        double radians = Math.toRadians(degrees);
        double sin = Math.abs(Math.sin(radians));
        double cos = Math.abs(Math.cos(radians));
        int width = (int) Math.round(image.getWidth() * cos + image.getHeight() * sin);
        int height = (int) Math.round(image.getHeight() * cos + image.getWidth() * sin);
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D graphics = out.createGraphics();
        graphics.setColor(Color.WHITE);
        graphics.fillRect(0, 0, width, height);
        graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        graphics.translate(width / 2.0, height / 2.0);
        graphics.rotate(radians);
        graphics.translate(-image.getWidth() / 2.0, -image.getHeight() / 2.0);
        graphics.drawImage(image, 0, 0, null);
        graphics.dispose();
        return out;
    }
}
