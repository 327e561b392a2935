package health.vigil.ingestion.document;

import static org.assertj.core.api.Assertions.assertThat;

import health.vigil.ingestion.api.LabReportExtraction;
import health.vigil.terminology.TerminologyAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class DocumentExtractionAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    TerminologyAutoConfiguration.class, DocumentExtractionAutoConfiguration.class));

    @Test
    void defaults_contributeExtractionWithOcr() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(LabReportExtraction.class);
            assertThat(context.getBean(DocumentExtractionAutoConfiguration.OcrEngines.class)
                            .ocr())
                    .isNotNull();
        });
    }

    @Test
    void ocrOff_contributesExtractionWithoutOcr() {
        runner.withPropertyValues("vigil.ingestion.documents.ocr.enabled=false").run(context -> {
            assertThat(context).hasSingleBean(LabReportExtraction.class);
            assertThat(context.getBean(DocumentExtractionAutoConfiguration.OcrEngines.class)
                            .ocr())
                    .isNull();
        });
    }

    @Test
    void documentsOff_contributesNothing() {
        runner.withPropertyValues("vigil.ingestion.documents.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(LabReportExtraction.class));
    }

    @Test
    void configuredDataPathWithoutLanguageData_stopsTheStart() {
        runner.withPropertyValues("vigil.ingestion.documents.ocr.data-path=/nonexistent/tessdata")
                .run(context -> assertThat(context)
                        .getFailure()
                        .hasRootCauseMessage("vigil.ingestion.documents.ocr.data-path: no Tesseract data directory at"
                                + " /nonexistent/tessdata (install tesseract-ocr and tesseract-ocr-eng, or set"
                                + " vigil.ingestion.documents.ocr.data-path)"));
        runner.withPropertyValues(
                        "vigil.ingestion.documents.ocr.data-path="
                                + TesseractOcr.defaultDataPath().orElseThrow(),
                        "vigil.ingestion.documents.ocr.language=xyz")
                .run(context -> assertThat(context).getFailure().hasStackTraceContaining("no xyz.traineddata in"));
    }

    @Test
    void invalidLimits_stopTheStart() {
        runner.withPropertyValues("vigil.ingestion.documents.max-pages=0")
                .run(context ->
                        assertThat(context).getFailure().hasStackTraceContaining("max-pages must be at least 1"));
        runner.withPropertyValues("vigil.ingestion.documents.review-confidence=101")
                .run(context -> assertThat(context)
                        .getFailure()
                        .hasStackTraceContaining("review-confidence must be between 0 and 100"));
    }
}
