package health.vigil.ingestion.document;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import health.vigil.ingestion.api.FeedException;
import health.vigil.ingestion.api.IngestionErrors;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import net.sourceforge.tess4j.ITessAPI;
import net.sourceforge.tess4j.ITessAPI.TessBaseAPI;
import net.sourceforge.tess4j.ITessAPI.TessPageIteratorLevel;
import net.sourceforge.tess4j.ITessAPI.TessResultIterator;
import net.sourceforge.tess4j.TessAPI;

/**
 * OCR with Tesseract through Tess4J's bindings to the system's libtesseract (Debian's 5.3 with Tess4J
 * 5.5.0): orientation detected (OSD) and the page turned upright, then words with boxes and confidences,
 * the skew Tesseract found taken out of their coordinates.
 *
 * <p>Each engine is initialised once and kept: a pool of {@code threads} engines, so that at most that
 * many pages are read at once (OCR is CPU-bound). Recognition stops at a deadline per page.
 *
 * <p>Tesseract aborts the whole process when its data is missing, so {@link #problem(Path, String)}
 * checks the data first and the engine is not created without it. Tesseract's OpenMP threads make it
 * about three times slower on a small machine; the thread limit is set for the process before the
 * library is loaded, unless the environment already sets it.
 */
final class TesseractOcr implements AutoCloseable {

    /** Where Debian, Ubuntu and Homebrew put the data, tried in order when none is configured. */
    static final List<Path> KNOWN_DATA_PATHS = List.of(
            Path.of("/usr/share/tesseract-ocr/5/tessdata"),
            Path.of("/usr/share/tesseract-ocr/4.00/tessdata"),
            Path.of("/usr/share/tessdata"),
            Path.of("/usr/local/share/tessdata"),
            Path.of("/opt/homebrew/share/tessdata"));

    /** Orientation below this OSD confidence is not acted on: sparse tables give weak votes. */
    private static final float MIN_ORIENTATION_CONFIDENCE = 2.0f;

    /** The share of dark pixels a cell needs to hold a letter rather than specks of noise. */
    private static final double MIN_CELL_INK = 0.005;

    private final BlockingQueue<Engine> engines;
    private final Duration pageTimeout;
    private final String version;
    private final String language;

    /**
     * @throws IllegalStateException when {@link #problem(Path, String)} finds one, or libtesseract does
     *     not initialise
     */
    TesseractOcr(Path dataPath, String language, int threads, Duration pageTimeout) {
        problem(dataPath, language).ifPresent(problem -> {
            throw new IllegalStateException(problem);
        });
        limitOpenMpThreads();
        TessAPI api = TessAPI.INSTANCE;
        this.version = api.TessVersion();
        this.language = language;
        this.pageTimeout = pageTimeout;
        this.engines = new ArrayBlockingQueue<>(threads);
        boolean osd = Files.isRegularFile(dataPath.resolve("osd.traineddata"));
        for (int i = 0; i < threads; i++) {
            engines.add(new Engine(api, dataPath.toString(), language, osd));
        }
    }

    /** The default data directory: {@code TESSDATA_PREFIX} if set, else the first known path holding data. */
    static Optional<Path> defaultDataPath() {
        String prefix = System.getenv("TESSDATA_PREFIX");
        if (prefix != null && !prefix.isBlank()) {
            return Optional.of(Path.of(prefix));
        }
        return KNOWN_DATA_PATHS.stream().filter(Files::isDirectory).findFirst();
    }

    /** What stops OCR with this data, if anything: a missing directory or language file, no libtesseract. */
    static Optional<String> problem(Path dataPath, String language) {
        if (dataPath == null || !Files.isDirectory(dataPath)) {
            return Optional.of("no Tesseract data directory at " + dataPath
                    + " (install tesseract-ocr and tesseract-ocr-" + language + ", or set"
                    + " vigil.ingestion.documents.ocr.data-path)");
        }
        for (String lang : language.split("\\+")) {
            if (!Files.isRegularFile(dataPath.resolve(lang + ".traineddata"))) {
                return Optional.of(
                        "no " + lang + ".traineddata in " + dataPath + " (install tesseract-ocr-" + lang + ")");
            }
        }
        try {
            limitOpenMpThreads();
            TessAPI.INSTANCE.TessVersion();
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            return Optional.of("libtesseract cannot be loaded (install tesseract-ocr): " + e.getMessage());
        }
        return Optional.empty();
    }

    /** The engine's name and version, for Provenance: {@code Tesseract 5.3.0}. */
    String version() {
        return version;
    }

    String language() {
        return language;
    }

    /**
     * Reads one grayscale page.
     *
     * @throws FeedException {@code UNREADABLE_DOCUMENT} when recognition does not finish within the page
     *     timeout or fails
     */
    Reading read(BufferedImage gray, int pageNumber) {
        Engine engine;
        try {
            engine = engines.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FeedException(IngestionErrors.UNREADABLE_DOCUMENT, "interrupted while waiting for OCR");
        }
        try {
            int rotation = engine.orientation(gray);
            BufferedImage upright = rotation == 0 ? gray : PageImages.rotated(gray, -rotation);
            return engine.recognize(upright, pageNumber, rotation, pageTimeout);
        } finally {
            engines.add(engine);
        }
    }

    /**
     * Reads one small cell of a page again, as a single word of the given characters: for a one-letter
     * flag standing alone in its column, which page segmentation takes for a speck and drops. A cell
     * without the ink of a letter is not read at all, so that noise cannot become a flag.
     *
     * @param cell left, top, right, bottom in the page's straightened 300-DPI frame
     * @return the word read, in that frame, if any with at least {@code minConfidence}
     */
    Optional<Word> readCell(Reading page, double[] cell, String characters, float minConfidence) {
        return readLine(page, cell, characters).stream()
                .filter(word -> word.confidence() >= minConfidence)
                .findFirst();
    }

    /**
     * Reads one line of a page again on its own (single-line mode), for a row the page's reading got
     * wrong: a second reading, of the row alone, often reads what the first misread. A box without ink
     * is not read.
     *
     * @param box left, top, right, bottom in the page's straightened 300-DPI frame
     * @param characters the only characters it may read, or {@code ""} for any
     * @return the words read, left to right, in that frame, each with its confidence
     */
    List<Word> readLine(Reading page, double[] box, String characters) {
        return readLine(page, box, characters, 1);
    }

    /** {@link #readLine(Reading, double[], String)}, the box enlarged {@code scale} times before it is read. */
    List<Word> readLine(Reading page, double[] box, String characters, int scale) {
        Engine engine;
        try {
            engine = engines.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
        try {
            return engine.readLine(page, box, characters, scale, pageTimeout);
        } finally {
            engines.add(engine);
        }
    }

    @Override
    public void close() {
        Engine engine;
        while ((engine = engines.poll()) != null) {
            engine.close();
        }
    }

    /**
     * What OCR read on a page: the words (upright, skew removed), the turn and skew it found, and the
     * upright image it read, for reading single cells again.
     */
    record Reading(List<Word> words, int rotation, double skew, BufferedImage upright) {}

    /** Sets OMP_THREAD_LIMIT=1 for this process, before libtesseract (and its OpenMP runtime) loads. */
    private static synchronized void limitOpenMpThreads() {
        if (System.getenv("OMP_THREAD_LIMIT") != null || !(Platform.isLinux() || Platform.isMac())) {
            return;
        }
        CLibrary.INSTANCE.setenv("OMP_THREAD_LIMIT", "1", 0);
    }

    private interface CLibrary extends Library {
        CLibrary INSTANCE = Native.load(Platform.C_LIBRARY_NAME, CLibrary.class);

        int setenv(String name, String value, int overwrite);
    }

    /** The white margin, in pixels, around a cell read again. */
    private static final int CELL_BORDER = 20;

    /** One initialised Tesseract (and its orientation detector); used by one thread at a time. */
    private static final class Engine {
        private final TessAPI api;
        private final TessBaseAPI handle;
        private final TessBaseAPI orientationHandle;

        Engine(TessAPI api, String dataPath, String language, boolean osd) {
            this.api = api;
            this.handle = api.TessBaseAPICreate();
            if (api.TessBaseAPIInit2(handle, dataPath, language, ITessAPI.TessOcrEngineMode.OEM_DEFAULT) != 0) {
                api.TessBaseAPIDelete(handle);
                throw new IllegalStateException("Tesseract did not initialise with " + language + " from " + dataPath);
            }
            api.TessBaseAPISetPageSegMode(handle, ITessAPI.TessPageSegMode.PSM_AUTO);
            api.TessBaseAPISetVariable(handle, "debug_file", "/dev/null");
            if (osd) {
                orientationHandle = api.TessBaseAPICreate();
                api.TessBaseAPIInit2(orientationHandle, dataPath, "osd", ITessAPI.TessOcrEngineMode.OEM_DEFAULT);
                api.TessBaseAPISetPageSegMode(orientationHandle, ITessAPI.TessPageSegMode.PSM_OSD_ONLY);
                api.TessBaseAPISetVariable(orientationHandle, "debug_file", "/dev/null");
            } else {
                orientationHandle = null;
            }
        }

        /** How far the page is turned clockwise (0, 90, 180, 270), 0 when unsure or without OSD data. */
        int orientation(BufferedImage gray) {
            if (orientationHandle == null) {
                return 0;
            }
            setImage(orientationHandle, gray);
            IntBuffer degrees = IntBuffer.allocate(1);
            FloatBuffer confidence = FloatBuffer.allocate(1);
            FloatBuffer scriptConfidence = FloatBuffer.allocate(1);
            PointerByReference script = new PointerByReference();
            int found = api.TessBaseAPIDetectOrientationScript(
                    orientationHandle, degrees, confidence, script, scriptConfidence);
            api.TessBaseAPIClear(orientationHandle);
            if (found == 0 || confidence.get(0) < MIN_ORIENTATION_CONFIDENCE) {
                return 0;
            }
            return Math.floorMod(degrees.get(0), 360);
        }

        Reading recognize(BufferedImage gray, int pageNumber, int rotation, Duration timeout) {
            setImage(handle, gray);
            ITessAPI.ETEXT_DESC monitor = api.TessMonitorCreate();
            try {
                api.TessMonitorSetDeadlineMSecs(monitor, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
                long started = System.nanoTime();
                int result = api.TessBaseAPIRecognize(handle, monitor);
                if (result != 0) {
                    boolean late = Duration.ofNanos(System.nanoTime() - started).compareTo(timeout) >= 0;
                    throw new FeedException(
                            IngestionErrors.UNREADABLE_DOCUMENT,
                            "page " + pageNumber + ": "
                                    + (late
                                            ? "OCR did not finish within " + timeout.toSeconds() + " s"
                                            : "OCR failed"));
                }
                return words(gray, rotation);
            } finally {
                api.TessMonitorDelete(monitor);
                api.TessBaseAPIClear(handle);
            }
        }

        private Reading words(BufferedImage gray, int rotation) {
            TessResultIterator iterator = api.TessBaseAPIGetIterator(handle);
            if (iterator == null) {
                return new Reading(List.of(), rotation, 0, gray);
            }
            try {
                ITessAPI.TessPageIterator page = api.TessResultIteratorGetPageIterator(iterator);
                double skew = skew(page);
                IntBuffer left = IntBuffer.allocate(1);
                IntBuffer top = IntBuffer.allocate(1);
                IntBuffer right = IntBuffer.allocate(1);
                IntBuffer bottom = IntBuffer.allocate(1);
                List<Word> words = new ArrayList<>();
                do {
                    Pointer utf8 = api.TessResultIteratorGetUTF8Text(iterator, TessPageIteratorLevel.RIL_WORD);
                    if (utf8 == null) {
                        continue;
                    }
                    String text = utf8.getString(0, "UTF-8").strip();
                    api.TessDeleteText(utf8);
                    float confidence = api.TessResultIteratorConfidence(iterator, TessPageIteratorLevel.RIL_WORD);
                    api.TessPageIteratorBoundingBox(page, TessPageIteratorLevel.RIL_WORD, left, top, right, bottom);
                    if (text.isEmpty()) {
                        continue;
                    }
                    words.add(straightened(
                            text,
                            left.get(0),
                            top.get(0),
                            right.get(0) - left.get(0),
                            bottom.get(0) - top.get(0),
                            confidence,
                            -skew,
                            gray));
                } while (api.TessResultIteratorNext(iterator, TessPageIteratorLevel.RIL_WORD) == ITessAPI.TRUE);
                return new Reading(words, rotation, skew, gray);
            } finally {
                api.TessResultIteratorDelete(iterator);
            }
        }

        List<Word> readLine(Reading page, double[] cell, String characters, int scale, Duration timeout) {
            BufferedImage image = page.upright();
            int x0 = (int) Math.floor(cell[0]);
            int y0 = (int) Math.floor(cell[1]);
            int width = (int) Math.ceil(cell[2]) - x0;
            int height = (int) Math.ceil(cell[3]) - y0;
            if (width < 8 || height < 8 || width > image.getWidth() || height > image.getHeight()) {
                return List.of();
            }
            // A short box is cut as it lies (the skew moves it, it barely tilts in it); a long one, a line,
            // is cut level.
            boolean level = width * Math.abs(Math.sin(Math.toRadians(page.skew()))) > height / 4.0;
            BufferedImage crop;
            int cropX;
            int cropY;
            if (level) {
                crop = straightenedCrop(image, page.skew(), x0, y0, width, height);
                cropX = x0;
                cropY = y0;
            } else {
                Word moved = straightened("", x0, y0, width, height, 0, page.skew(), image);
                cropX = (int) Math.max(0, Math.round(moved.x()));
                cropY = (int) Math.max(0, Math.round(moved.y()));
                int right = (int) Math.min(image.getWidth(), Math.round(moved.x() + width));
                int bottom = (int) Math.min(image.getHeight(), Math.round(moved.y() + height));
                if (right - cropX < 8 || bottom - cropY < 8) {
                    return List.of();
                }
                crop = image.getSubimage(cropX, cropY, right - cropX, bottom - cropY);
            }
            if (ink(crop) < MIN_CELL_INK) {
                return List.of();
            }
            // Single-line mode: single-word mode reads a lone "H" as "oo".
            api.TessBaseAPISetPageSegMode(handle, ITessAPI.TessPageSegMode.PSM_SINGLE_LINE);
            api.TessBaseAPISetVariable(handle, "tessedit_char_whitelist", characters);
            setImage(handle, bordered(crop, scale));
            ITessAPI.ETEXT_DESC monitor = api.TessMonitorCreate();
            try {
                api.TessMonitorSetDeadlineMSecs(monitor, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
                if (api.TessBaseAPIRecognize(handle, monitor) != 0) {
                    return List.of();
                }
                return words(crop, 0).words().stream()
                        .map(word -> {
                            Word inImage = new Word(
                                    word.text(),
                                    (word.x() - CELL_BORDER) / scale + cropX,
                                    (word.y() - CELL_BORDER) / scale + cropY,
                                    word.width() / scale,
                                    word.height() / scale,
                                    word.confidence());
                            // A level crop is in the straightened frame already.
                            return level
                                    ? inImage
                                    : straightened(
                                            inImage.text(),
                                            inImage.x(),
                                            inImage.y(),
                                            inImage.width(),
                                            inImage.height(),
                                            inImage.confidence(),
                                            -page.skew(),
                                            image);
                        })
                        .toList();
            } finally {
                api.TessMonitorDelete(monitor);
                api.TessBaseAPIClear(handle);
                api.TessBaseAPISetVariable(handle, "tessedit_char_whitelist", "");
                api.TessBaseAPISetPageSegMode(handle, ITessAPI.TessPageSegMode.PSM_AUTO);
            }
        }

        /**
         * A box of the straightened frame cut from the image as read, the skew taken out, so that a
         * line as wide as the page lies level in it (white where the box leaves the image).
         */
        private static BufferedImage straightenedCrop(
                BufferedImage image, double skew, int x0, int y0, int width, int height) {
            BufferedImage crop = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
            java.awt.Graphics2D graphics = crop.createGraphics();
            try {
                graphics.setColor(java.awt.Color.WHITE);
                graphics.fillRect(0, 0, width, height);
                graphics.setRenderingHint(
                        java.awt.RenderingHints.KEY_INTERPOLATION,
                        java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                double centerX = image.getWidth() / 2.0;
                double centerY = image.getHeight() / 2.0;
                // Image to straightened frame: turned back by the skew about the centre, less the corner.
                java.awt.geom.AffineTransform transform = new java.awt.geom.AffineTransform();
                transform.translate(centerX - x0, centerY - y0);
                transform.rotate(Math.toRadians(-skew));
                transform.translate(-centerX, -centerY);
                graphics.drawImage(image, transform, null);
            } finally {
                graphics.dispose();
            }
            return crop;
        }

        /** The crop on a white margin: Tesseract misreads glyphs that touch the image's edge. */
        private static BufferedImage bordered(BufferedImage crop, int scale) {
            BufferedImage framed = new BufferedImage(
                    crop.getWidth() * scale + 2 * CELL_BORDER,
                    crop.getHeight() * scale + 2 * CELL_BORDER,
                    BufferedImage.TYPE_BYTE_GRAY);
            java.awt.Graphics2D graphics = framed.createGraphics();
            try {
                graphics.setColor(java.awt.Color.WHITE);
                graphics.fillRect(0, 0, framed.getWidth(), framed.getHeight());
                graphics.setRenderingHint(
                        java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BICUBIC);
                graphics.drawImage(
                        crop, CELL_BORDER, CELL_BORDER, crop.getWidth() * scale, crop.getHeight() * scale, null);
            } finally {
                graphics.dispose();
            }
            return framed;
        }

        /** The share of dark pixels. */
        private static double ink(BufferedImage gray) {
            int dark = 0;
            for (int y = 0; y < gray.getHeight(); y++) {
                for (int x = 0; x < gray.getWidth(); x++) {
                    if ((gray.getRGB(x, y) & 0xff) < 128) {
                        dark++;
                    }
                }
            }
            return (double) dark / (gray.getWidth() * gray.getHeight());
        }

        /** A box turned about the image's centre by {@code degrees}, keeping its size. */
        private static Word straightened(
                String text,
                double left,
                double top,
                double width,
                double height,
                float confidence,
                double degrees,
                BufferedImage image) {
            double cos = Math.cos(Math.toRadians(degrees));
            double sin = Math.sin(Math.toRadians(degrees));
            double centerX = image.getWidth() / 2.0;
            double centerY = image.getHeight() / 2.0;
            double x = left + width / 2 - centerX;
            double y = top + height / 2 - centerY;
            double turnedX = x * cos - y * sin + centerX;
            double turnedY = x * sin + y * cos + centerY;
            return new Word(text, turnedX - width / 2, turnedY - height / 2, width, height, confidence);
        }

        /** The skew of the page's first text block, in degrees, positive when lines fall to the right. */
        private double skew(ITessAPI.TessPageIterator page) {
            IntBuffer orientation = IntBuffer.allocate(1);
            IntBuffer direction = IntBuffer.allocate(1);
            IntBuffer order = IntBuffer.allocate(1);
            FloatBuffer angle = FloatBuffer.allocate(1);
            api.TessPageIteratorOrientation(page, orientation, direction, order, angle);
            return Math.toDegrees(angle.get(0));
        }

        private void setImage(TessBaseAPI target, BufferedImage gray) {
            BufferedImage plain = gray;
            if (!(gray.getRaster().getDataBuffer() instanceof DataBufferByte)
                    || gray.getType() != BufferedImage.TYPE_BYTE_GRAY
                    || gray.getRaster().getParent() != null) {
                plain = PageImages.grayscale(copy(gray));
            }
            byte[] pixels = ((DataBufferByte) plain.getRaster().getDataBuffer()).getData();
            ByteBuffer buffer = ByteBuffer.allocateDirect(pixels.length);
            buffer.put(pixels).flip();
            api.TessBaseAPISetImage(target, buffer, plain.getWidth(), plain.getHeight(), 1, plain.getWidth());
            api.TessBaseAPISetSourceResolution(target, PageImages.DPI);
        }

        private static BufferedImage copy(BufferedImage image) {
            BufferedImage copy = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
            copy.getGraphics().drawImage(image, 0, 0, null);
            return copy;
        }

        void close() {
            api.TessBaseAPIEnd(handle);
            api.TessBaseAPIDelete(handle);
            if (orientationHandle != null) {
                api.TessBaseAPIEnd(orientationHandle);
                api.TessBaseAPIDelete(orientationHandle);
            }
        }
    }
}
