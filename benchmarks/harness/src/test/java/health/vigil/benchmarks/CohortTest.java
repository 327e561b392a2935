package health.vigil.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import health.vigil.benchmarks.Cohort.ObservationEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CohortTest {

    private static final String PATIENT_BUNDLE =
            """
            {"resourceType":"Bundle","type":"transaction","entry":[
              {"fullUrl":"urn:uuid:enc","resource":{"resourceType":"Encounter"},"request":{"method":"POST","url":"Encounter"}},
              {"fullUrl":"urn:uuid:pat","resource":{"resourceType":"Patient"},"request":{"method":"POST","url":"Patient"}},
              {"fullUrl":"urn:uuid:obs1","resource":{"resourceType":"Observation",
                "code":{"coding":[{"system":"http://loinc.org","code":"8867-4"}]},
                "subject":{"reference":"urn:uuid:pat"},"effectiveDateTime":"2024-03-05T10:11:12+00:00"},
               "request":{"method":"POST","url":"Observation"}},
              {"fullUrl":"urn:uuid:obs2","resource":{"resourceType":"Observation",
                "code":{"text":"no coding"},
                "subject":{"reference":"urn:uuid:pat"},"effectiveDateTime":"2024-03-05T10:11:12+00:00"},
               "request":{"method":"POST","url":"Observation"}}
            ]}
            """;

    private static final String BATCH =
            """
            {"resourceType":"Bundle","type":"batch","entry":[{"resource":{"resourceType":"Organization"}}]}
            """;

    @TempDir
    Path directory;

    @Test
    void load_syntheaOutput_ordersBundlesAndIndexesSearchableObservations() throws IOException {
        Files.writeString(directory.resolve("practitionerInformation1.json"), BATCH);
        Files.writeString(directory.resolve("hospitalInformation1.json"), BATCH);
        Files.writeString(directory.resolve("Zed_1.json"), PATIENT_BUNDLE);
        Files.writeString(directory.resolve("Amy_2.json"), PATIENT_BUNDLE);

        Cohort cohort = Cohort.load(directory, new ObjectMapper());

        assertThat(cohort.referenceBundles())
                .extracting(Cohort.CohortBundle::fileName)
                .containsExactly("hospitalInformation1.json", "practitionerInformation1.json");
        assertThat(cohort.patientBundles())
                .extracting(Cohort.CohortBundle::fileName)
                .containsExactly("Amy_2.json", "Zed_1.json");
        Cohort.CohortBundle bundle = cohort.patientBundles().get(0);
        assertThat(bundle.entryCount()).isEqualTo(4);
        assertThat(bundle.patientEntry()).isEqualTo(1);
        assertThat(bundle.observations())
                .containsExactly(new ObservationEntry(2, 1, "http://loinc.org|8867-4", "2024-03-05"));
        assertThat(cohort.patientResources()).isEqualTo(8);
    }

    @Test
    void load_patientBundleIsNotATransaction_fails() throws IOException {
        Files.writeString(directory.resolve("Amy_2.json"), BATCH);

        assertThatThrownBy(() -> Cohort.load(directory, new ObjectMapper()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a transaction Bundle");
    }
}
