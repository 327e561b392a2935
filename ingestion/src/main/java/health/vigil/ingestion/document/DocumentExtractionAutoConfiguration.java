package health.vigil.ingestion.document;

import health.vigil.ingestion.api.IngestionProperties;
import health.vigil.ingestion.api.LabReportExtraction;
import health.vigil.ingestion.common.Digests;
import health.vigil.terminology.api.Terminology;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.pdfbox.util.Version;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Contributes {@link LabReportExtraction} unless {@code vigil.ingestion.documents.enabled=false}, with
 * OCR when Tesseract's data is there. Tesseract aborts the process on missing data, so the data is checked
 * first: a configured {@code data-path} that is unusable stops the start; when none is configured and
 * none is found, the server starts without OCR and says so.
 */
@AutoConfiguration(afterName = "health.vigil.terminology.TerminologyAutoConfiguration")
@ConditionalOnProperty(prefix = "vigil.ingestion", name = "enabled", havingValue = "true", matchIfMissing = true)
@ConditionalOnBean(Terminology.class)
@EnableConfigurationProperties(IngestionProperties.class)
public class DocumentExtractionAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DocumentExtractionAutoConfiguration.class);

    /** The OCR engines, shared and closed with the context; absent when OCR is off or impossible. */
    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(
            prefix = "vigil.ingestion.documents",
            name = "enabled",
            havingValue = "true",
            matchIfMissing = true)
    OcrEngines vigilOcrEngines(IngestionProperties properties) {
        IngestionProperties.Ocr ocr = properties.documents().ocr();
        if (!ocr.enabled()) {
            log.info("Lab-report OCR is off (vigil.ingestion.documents.ocr.enabled=false): scanned pages are refused");
            return new OcrEngines(null);
        }
        Optional<Path> dataPath = Optional.ofNullable(ocr.dataPath()).or(TesseractOcr::defaultDataPath);
        Optional<String> problem = TesseractOcr.problem(dataPath.orElse(null), ocr.language());
        if (problem.isPresent()) {
            if (ocr.dataPath() != null) {
                throw new IllegalStateException("vigil.ingestion.documents.ocr.data-path: " + problem.get());
            }
            log.warn("Lab-report OCR is off: {}; scanned pages are refused with 503", problem.get());
            return new OcrEngines(null);
        }
        return new OcrEngines(new TesseractOcr(dataPath.get(), ocr.language(), ocr.threads(), ocr.pageTimeout()));
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(
            prefix = "vigil.ingestion.documents",
            name = "enabled",
            havingValue = "true",
            matchIfMissing = true)
    LabReportExtraction labReportExtraction(
            Terminology terminology, IngestionProperties properties, ObjectProvider<OcrEngines> engines) {
        IngestionProperties.Documents documents = properties.documents();
        TesseractOcr ocr = engines.getIfAvailable(() -> new OcrEngines(null)).ocr();
        LabResults results = new LabResults(terminology.analytes(), terminology.units(), documents.reviewConfidence());
        return new LabReportExtractionService(
                new DocumentReader(new PageImages(documents.maxPixels()), ocr, documents.maxPages(), results),
                results,
                new LabReportMapper(documents.zone()),
                engine(ocr),
                documents.maxSize().toBytes());
    }

    /** The Device the Provenance names: every engine and version that may have read a page. */
    static LabReportMapper.Engine engine(TesseractOcr ocr) {
        List<String[]> versions = new ArrayList<>();
        String vigil = Optional.ofNullable(
                        DocumentExtractionAutoConfiguration.class.getPackage().getImplementationVersion())
                .orElse("development");
        versions.add(new String[] {"Vigil lab-report reader", vigil});
        versions.add(new String[] {"Apache PDFBox (text layer, rendering)", Version.getVersion()});
        String configuration = "text layer when usable, else 300 DPI grayscale";
        if (ocr != null) {
            versions.add(new String[] {"Tesseract OCR", ocr.version()});
            configuration += "; Tesseract language " + ocr.language() + ", automatic page segmentation, orientation"
                    + " detection, deskew";
        }
        StringBuilder identity = new StringBuilder(configuration);
        versions.forEach(
                version -> identity.append('|').append(version[0]).append('=').append(version[1]));
        String id = "doc-reader-" + Digests.sha256Prefix(identity.toString(), 6);
        return new LabReportMapper.Engine(id, "Vigil lab-report reader", versions, configuration);
    }

    /** Holder, so that the context can hold "no OCR" and close the engines when it has them. */
    record OcrEngines(TesseractOcr ocr) {
        void close() {
            if (ocr != null) {
                ocr.close();
            }
        }
    }
}
