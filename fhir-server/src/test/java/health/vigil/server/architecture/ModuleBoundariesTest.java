package health.vigil.server.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.GeneralCodingRules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module graph of ARCHITECTURE.md holds: it ends in {@code fhir-server}, each module depends only
 * on the modules it may, and modules reach each other only through their {@code api} packages.
 */
class ModuleBoundariesTest {

    /**
     * Each module and the Vigil modules it may depend on. {@code vigil-synthea} carries no code: it lays
     * out the Synthea runtime that tests generate their patients with.
     */
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "vigil-terminology", Set.of(),
            "vigil-interceptors", Set.of(),
            "vigil-ingestion", Set.of("vigil-terminology", "vigil-synthea"),
            "vigil-operations", Set.of("vigil-terminology"),
            "vigil-smart-apps", Set.of(),
            "vigil-keycloak", Set.of(),
            "vigil-fhir-server",
                    Set.of(
                            "vigil-terminology",
                            "vigil-interceptors",
                            "vigil-ingestion",
                            "vigil-operations",
                            "vigil-smart-apps",
                            "vigil-keycloak",
                            "vigil-synthea"),
            "vigil-synthea", Set.of(),
            "vigil-benchmark-harness", Set.of());

    /** The package root of each library module. */
    private static final Map<String, String> PACKAGE_ROOTS = Map.of(
            "terminology", "health.vigil.terminology",
            "interceptors", "health.vigil.interceptors",
            "ingestion", "health.vigil.ingestion",
            "operations", "health.vigil.operations",
            "smart-apps", "health.vigil.smartapps",
            "keycloak", "health.vigil.keycloak",
            "fhir-server", "health.vigil.server");

    /** Poms that only aggregate modules and carry no code. */
    private static final Set<String> AGGREGATORS = Set.of("vigil-parent", "vigil-benchmarks");

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("health.vigil");
    }

    @Test
    void modulePoms_dependOnlyOnAllowedModules_andNothingDependsOnFhirServer() throws Exception {
        Map<String, Set<String>> actual = new TreeMap<>();
        try (Stream<Path> poms = Files.walk(ROOT, 3)) {
            for (Path pom : poms.filter(p -> p.getFileName().toString().equals("pom.xml"))
                    .filter(p -> !p.toString().contains("/target/"))
                    .toList()) {
                String xml = Files.readString(pom);
                String name = artifactId(xml);
                if (AGGREGATORS.contains(name)) {
                    continue;
                }
                Set<String> dependencies = new TreeSet<>();
                Matcher dependency = Pattern.compile(
                                "<dependency>\\s*<groupId>health\\.vigil</groupId>\\s*<artifactId>([^<]+)</artifactId>")
                        .matcher(xml.replaceAll("(?s)<dependencyManagement>.*?</dependencyManagement>", ""));
                while (dependency.find()) {
                    dependencies.add(dependency.group(1));
                }
                actual.put(name, dependencies);
            }
        }

        assertThat(actual)
                .containsKeys(
                        "vigil-terminology",
                        "vigil-interceptors",
                        "vigil-ingestion",
                        "vigil-operations",
                        "vigil-smart-apps",
                        "vigil-keycloak",
                        "vigil-fhir-server");
        actual.forEach((module, dependencies) -> {
            assertThat(dependencies).as("dependencies of %s", module).doesNotContain("vigil-fhir-server");
            assertThat(ALLOWED).as("module %s is known to this test", module).containsKey(module);
            assertThat(ALLOWED.get(module))
                    .as("allowed dependencies of %s", module)
                    .containsAll(dependencies);
        });
    }

    @Test
    void modules_reachOtherModulesOnlyThroughTheirApiPackages() {
        PACKAGE_ROOTS.forEach((module, root) -> noClasses()
                .that()
                .resideOutsideOfPackage(root + "..")
                .should()
                .dependOnClassesThat(insideModuleButOutsideItsApi(root))
                .as(String.format("classes outside %s use only %s.api", module, root))
                .allowEmptyShould(true)
                .check(classes));
    }

    @Test
    void libraryModules_doNotDependOnTheServer() {
        noClasses()
                .that()
                .resideOutsideOfPackage("health.vigil.server..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("health.vigil.server..")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void code_usesNoStandardStreamsNorPrintStackTrace() {
        GeneralCodingRules.NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS.check(classes);
    }

    @Test
    void code_usesNoHamcrest() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.hamcrest..")
                .check(new ClassFileImporter().importPackages("health.vigil"));
    }

    /** The project's own artifactId: the first one outside the parent block. */
    private static String artifactId(String pomXml) {
        Matcher matcher = Pattern.compile("<artifactId>([^<]+)</artifactId>")
                .matcher(pomXml.replaceAll("(?s)<parent>.*?</parent>", ""));
        if (!matcher.find()) {
            throw new IllegalStateException("pom without artifactId");
        }
        return matcher.group(1);
    }

    private static DescribedPredicate<JavaClass> insideModuleButOutsideItsApi(String root) {
        return DescribedPredicate.describe(
                "are in " + root + " but not in " + root + ".api",
                javaClass -> javaClass.getPackageName().startsWith(root)
                        && !javaClass.getPackageName().startsWith(root + ".api"));
    }
}
