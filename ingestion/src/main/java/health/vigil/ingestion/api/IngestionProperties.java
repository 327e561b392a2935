package health.vigil.ingestion.api;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Ingestion settings, {@code vigil.ingestion.*}.
 *
 * @param enabled whether device feeds can be ingested ({@code $ingest}); default {@code true}
 * @param templates where the device templates for JSON messages are: Spring resource locations, with
 *     wildcards ({@code file:/etc/vigil/templates/*.json}, {@code classpath:templates/acme.json}); every
 *     file is validated at start and the server does not start with a broken one. Default: none, so
 *     JSON device messages need templates sent with the request
 * @param maxRecords the most records one payload may hold (stored or rejected; records of kinds Vigil
 *     skips are not counted); a larger payload is refused whole with 413, so that one request cannot
 *     exhaust the server's memory. Default 10000, as the server's most entries in one transaction
 * @param mqtt the MQTT subscriber, {@code vigil.ingestion.mqtt.*}
 * @param hl7v2 reading HL7 v2 lab results, {@code vigil.ingestion.hl7v2.*}
 * @param appleHealth reading Apple Health exports, {@code vigil.ingestion.apple-health.*}
 * @param sampledData how high-rate series become {@code SampledData} Observations, {@code
 *     vigil.ingestion.sampled-data.*}
 * @param documents reading uploaded lab reports, {@code vigil.ingestion.documents.*}
 */
@ConfigurationProperties("vigil.ingestion")
public record IngestionProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue List<String> templates,
        @DefaultValue("10000") int maxRecords,
        @DefaultValue Mqtt mqtt,
        @DefaultValue Hl7v2 hl7v2,
        @DefaultValue AppleHealth appleHealth,
        @DefaultValue SampledData sampledData,
        @DefaultValue Documents documents) {

    public IngestionProperties {
        templates = List.copyOf(templates);
        if (maxRecords < 1) {
            throw new IllegalArgumentException("vigil.ingestion.max-records must be at least 1, not " + maxRecords);
        }
    }

    /**
     * Uploaded lab reports (PDF, PNG, JPEG, TIFF).
     *
     * @param enabled whether documents can be uploaded for extraction; default {@code true}
     * @param maxSize the largest file accepted; larger is refused with 413. Default 20MB
     * @param maxPages the most pages read from one document (PDF pages, TIFF images); more is refused with
     *     413. Default 20
     * @param maxPixels the most pixels one page may have when rendered or decoded (checked before
     *     decoding, so an image that declares a huge size costs nothing); a PDF page is rendered at a lower
     *     resolution to fit, an image above it is refused with 413. Default 40000000 (a 300-DPI page is
     *     about 8.4 million, a 12-megapixel photo 12 million)
     * @param zone the zone of printed collection times, which carry none; default {@code UTC}
     * @param reviewConfidence the lowest OCR word confidence (0 to 100) a row may have without being sent
     *     to review; default 70. Confidence alone never clears a row: every row is also checked
     * @param ocr reading pages without a text layer, {@code vigil.ingestion.documents.ocr.*}
     * @param resumeInterval how often each server looks for documents accepted to be read later
     *     ({@code Prefer: respond-async}) whose reading stopped, e.g. with a server restart; default 1m
     * @param resumeAfter how long a document must have waited before it is taken as stopped and read
     *     again; default 2m. A document read twice is stored once
     */
    public record Documents(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("20MB") DataSize maxSize,
            @DefaultValue("20") int maxPages,
            @DefaultValue("40000000") long maxPixels,
            @DefaultValue("UTC") ZoneId zone,
            @DefaultValue("70") float reviewConfidence,
            @DefaultValue Ocr ocr,
            @DefaultValue("1m") Duration resumeInterval,
            @DefaultValue("2m") Duration resumeAfter) {

        public Documents {
            if (resumeInterval.isNegative() || resumeInterval.isZero() || resumeAfter.isNegative()) {
                throw new IllegalArgumentException("vigil.ingestion.documents.resume-interval must be positive"
                        + " and .resume-after not negative");
            }
            if (maxPages < 1 || maxPixels < 1_000_000) {
                throw new IllegalArgumentException(
                        "vigil.ingestion.documents.max-pages must be at least 1 and" + " .max-pixels at least 1000000");
            }
            if (reviewConfidence < 0 || reviewConfidence > 100) {
                throw new IllegalArgumentException(
                        "vigil.ingestion.documents.review-confidence must be between 0 and 100");
            }
        }
    }

    /**
     * OCR with Tesseract (libtesseract 5, e.g. Debian's {@code tesseract-ocr} and {@code
     * tesseract-ocr-eng}).
     *
     * @param enabled whether to OCR pages without a text layer; default {@code true}. Without usable
     *     Tesseract data the server starts with OCR off (logged), and scanned documents are refused with 503
     * @param dataPath the {@code tessdata} directory; default: {@code TESSDATA_PREFIX}, else where Debian,
     *     Ubuntu or Homebrew put it. When set and unusable, the server does not start
     * @param language the Tesseract languages, {@code +}-joined; default {@code eng}
     * @param threads how many pages are read at once (one engine each, about 100 MB); default 1
     * @param pageTimeout the longest OCR of one page; a page that takes longer makes the document 422.
     *     Default 30s
     */
    public record Ocr(
            @DefaultValue("true") boolean enabled,
            Path dataPath,
            @DefaultValue("eng") String language,
            @DefaultValue("1") int threads,
            @DefaultValue("30s") Duration pageTimeout) {

        public Ocr {
            if (threads < 1) {
                throw new IllegalArgumentException("vigil.ingestion.documents.ocr.threads must be at least 1");
            }
        }
    }

    /**
     * Apple Health exports.
     *
     * @param maxExportSize the most bytes the {@code export.xml} inside an export zip may expand to; a
     *     zip that expands further is refused with 413 (a zip bomb costs only reading). Default 4GB
     */
    public record AppleHealth(@DefaultValue("4GB") DataSize maxExportSize) {}

    /**
     * High-rate series as {@code SampledData}: the readings of one patient, device and code within one
     * window, at least {@code min-samples} of them and no more than {@code max-interval} apart, become one
     * Observation with {@code valueSampledData}; other readings stay Quantity Observations.
     *
     * @param enabled whether to window series at all; default {@code true}
     * @param window how long a window is, aligned to the epoch (whole minutes for 1m); default 1m
     * @param maxInterval the longest sampling period that counts as high-rate; default 5s
     * @param minSamples the fewest readings in a window that make it a series; default 6
     * @param codes the LOINC codes whose series are windowed; default heart rate 8867-4, respiratory rate
     *     9279-1, oxygen saturation 59408-5 and 2708-6
     */
    public record SampledData(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("1m") Duration window,
            @DefaultValue("5s") Duration maxInterval,
            @DefaultValue("6") int minSamples,
            @DefaultValue({"8867-4", "9279-1", "59408-5", "2708-6"}) List<String> codes) {

        public SampledData {
            codes = List.copyOf(codes);
            if (window.isNegative() || window.isZero() || maxInterval.isNegative() || maxInterval.isZero()) {
                throw new IllegalArgumentException(
                        "vigil.ingestion.sampled-data.window and .max-interval must be positive");
            }
            if (minSamples < 2) {
                throw new IllegalArgumentException("vigil.ingestion.sampled-data.min-samples must be at least 2");
            }
        }
    }

    /**
     * HL7 v2 lab results.
     *
     * @param zone the time zone of sending labs' times that carry no UTC offset (HL7 v2 TS without
     *     {@code +hhmm}); default {@code UTC}
     * @param assigningAuthorities identifier system URIs for PID-3 assigning authorities that carry no OID
     *     or URI themselves, by namespace id ({@code vigil.ingestion.hl7v2.assigning-authorities.MRN-LAB=
     *     https://lab.example.org/mrn}); default none
     */
    public record Hl7v2(@DefaultValue("UTC") ZoneId zone, @DefaultValue Map<String, String> assigningAuthorities) {

        public Hl7v2 {
            assigningAuthorities = Map.copyOf(assigningAuthorities);
        }
    }

    /**
     * The MQTT subscriber: payloads published to {@code <topic-prefix>/<format>} (records name their
     * patients) or {@code <topic-prefix>/<format>/Patient/<id>} are stored as {@code $ingest} stores
     * them.
     *
     * @param enabled whether to subscribe; default {@code false}
     * @param brokerUrl the broker, {@code tcp://host:1883} or {@code ssl://host:8883}; default {@code
     *     tcp://127.0.0.1:1883}
     * @param clientId the MQTT client id; stable across restarts, because the broker keeps the session
     *     (and the messages not yet acknowledged) under it; each node needs its own. Default {@code
     *     vigil-ingest}
     * @param topicPrefix the topics subscribed to are {@code <topic-prefix>/#}; default {@code vigil/ingest}
     * @param sharedGroup when set, subscribe as the shared subscription {@code $share/<group>/...}, so that
     *     several nodes split the messages instead of each storing all; default none
     * @param errorTopic where the report of a refused payload is published, as an OperationOutcome (JSON),
     *     under the payload's topic suffix ({@code <error-topic>/<format>/...}); default {@code
     *     vigil/ingest-errors}
     * @param partial whether to store the valid records of a payload with rejected ones; default {@code
     *     false}: all or nothing, as {@code $ingest}
     * @param username the broker user; default none (anonymous)
     * @param password the broker password; default none
     * @param retryInterval how often payloads that met unavailable storage are tried again; default 30 s
     */
    public record Mqtt(
            @DefaultValue("false") boolean enabled,
            @DefaultValue("tcp://127.0.0.1:1883") String brokerUrl,
            @DefaultValue("vigil-ingest") String clientId,
            @DefaultValue("vigil/ingest") String topicPrefix,
            String sharedGroup,
            @DefaultValue("vigil/ingest-errors") String errorTopic,
            @DefaultValue("false") boolean partial,
            String username,
            String password,
            @DefaultValue("30s") Duration retryInterval) {}
}
