package health.vigil.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import health.vigil.terminology.api.Terminology;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.UriType;
import org.hl7.fhir.r4.model.ValueSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Loading the shipped terminology at start is idempotent: a second start on the same database changes
 * no stored resource. On PostgreSQL the second server joins while the first keeps running, as a second
 * node of one deployment would; H2's file is opened by one process at a time, so there the second is
 * a restart.
 */
class TerminologyLoadingIT {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private final Map<String, String> database = ItDatabase.separateServerProperties();
    private final List<ServerProcess> started = new ArrayList<>();

    @AfterEach
    void stopServers() throws InterruptedException {
        for (ServerProcess server : started) {
            server.close();
        }
    }

    @Test
    void secondStartOnTheSameDatabase_changesNoShippedResource() throws Exception {
        ServerProcess second;
        if (ItDatabase.isPostgres()) {
            // Not a simultaneous cold start: on an empty database HAPI seeds its own tables at first
            // start, and two nodes doing that at once can fail inside HAPI (docs/architecture.md).
            ServerProcess first = launch("first").awaitReady();
            second = launch("second").awaitReady();
            assertThat(versions(first))
                    .allSatisfy((resource, version) ->
                            assertThat(version).as(resource).isEqualTo("1"));
        } else {
            ServerProcess first = launch("first").awaitReady();
            assertThat(versions(first))
                    .allSatisfy((resource, version) ->
                            assertThat(version).as(resource).isEqualTo("1"));
            first.stop();
            second = launch("restarted").awaitReady();
        }

        assertThat(versions(second))
                .allSatisfy(
                        (resource, version) -> assertThat(version).as(resource).isEqualTo("1"));
        // The pre-expansion survives too: $expand still filters.
        ValueSet glucose = expand(second, "https://vigil.health/fhir/ValueSet/common-labs", "glucose");
        assertThat(glucose.getExpansion().getContains())
                .extracting(ValueSet.ValueSetExpansionContainsComponent::getCode)
                .contains("2345-7")
                .doesNotContain("2160-0");
    }

    private ServerProcess launch(String name) throws Exception {
        ServerProcess server = ServerProcess.launch("terminology-loading-" + name, database);
        started.add(server);
        return server;
    }

    /** The stored version of every shipped resource, by {@code Type/id}. */
    private static Map<String, String> versions(ServerProcess server) {
        IGenericClient client = client(server);
        Map<String, String> versions = new LinkedHashMap<>();
        for (MetadataResource shipped : Terminology.load().resources()) {
            MetadataResource stored = client.read()
                    .resource(shipped.getClass())
                    .withId(shipped.getIdElement().getIdPart())
                    .execute();
            versions.put(
                    shipped.fhirType() + "/" + shipped.getIdElement().getIdPart(),
                    stored.getIdElement().getVersionIdPart());
        }
        return versions;
    }

    private static ValueSet expand(ServerProcess server, String url, String filter) {
        Parameters in = new Parameters();
        in.addParameter("url", new UriType(url));
        in.addParameter("filter", new StringType(filter));
        return client(server)
                .operation()
                .onType(ValueSet.class)
                .named("$expand")
                .withParameters(in)
                .returnResourceType(ValueSet.class)
                .execute();
    }

    private static IGenericClient client(ServerProcess server) {
        FHIR.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        return FHIR.newRestfulGenericClient(server.fhirBase());
    }
}
