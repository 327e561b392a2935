package health.vigil.interceptors.authorization;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import health.vigil.interceptors.authorization.SmartScope.Context;
import health.vigil.interceptors.authorization.SmartScope.Filter;
import health.vigil.interceptors.authorization.SmartScope.Permission;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScopeParserTest {

    private final ScopeParser parser = new ScopeParser(FhirContext.forR4Cached());

    @Test
    void parse_v2TypeScope_givesContextTypeAndPermissions() {
        SmartScope scope = resource("patient/Observation.rs");

        assertThat(scope.context()).isEqualTo(Context.PATIENT);
        assertThat(scope.resourceType()).contains("Observation");
        assertThat(scope.permissions()).containsExactlyInAnyOrder(Permission.READ, Permission.SEARCH);
        assertThat(scope.filters()).isEmpty();
    }

    @Test
    void parse_v2WildcardWithAllPermissions_coversEveryTypeWithCruds() {
        SmartScope scope = resource("system/*.cruds");

        assertThat(scope.context()).isEqualTo(Context.SYSTEM);
        assertThat(scope.resourceType()).isEmpty();
        assertThat(scope.permissions()).isEqualTo(EnumSet.allOf(Permission.class));
    }

    @Test
    void parse_v1Scopes_mapToV2Permissions() {
        assertThat(resource("user/*.read").permissions()).containsExactlyInAnyOrder(Permission.READ, Permission.SEARCH);
        assertThat(resource("user/Patient.write").permissions())
                .containsExactlyInAnyOrder(Permission.CREATE, Permission.UPDATE, Permission.DELETE);
        assertThat(resource("patient/Observation.*").permissions()).isEqualTo(EnumSet.allOf(Permission.class));
    }

    @Test
    void parse_granularFilter_keepsParameterAndValue() {
        SmartScope scope = resource(
                "patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|vital-signs");

        assertThat(scope.filters())
                .containsExactly(new Filter(
                        "category", "http://terminology.hl7.org/CodeSystem/observation-category|vital-signs"));
        assertThat(scope.filterQuery())
                .isEqualTo("category=http://terminology.hl7.org/CodeSystem/observation-category|vital-signs");
    }

    @Test
    void parse_twoFilters_keepsBoth() {
        SmartScope scope = resource("user/Observation.rs?category=laboratory&status=final");

        assertThat(scope.filters())
                .containsExactly(new Filter("category", "laboratory"), new Filter("status", "final"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "patient/Observation.sr", // letters out of order
                "patient/Observation.rr",
                "patient/Observation.x",
                "patient/Observation.", // no permissions
                "patient/Obsrvation.rs", // unknown type
                "patient/observation.rs",
                "patient/*.rs?category=laboratory", // filter needs a type
                "patient/Observation.read?category=laboratory", // v1 takes no filter
                "patient/Observation.rs?", // empty filter
                "patient/Observation.rs?category", // no value
                "patient/Observation.rs?category=", // empty value
                "patient/Observation.rs?colour=red", // no such search parameter
                "patient/Observation.rs?category=a&", // dangling &
                "patient/Observation",
                "patient/",
                "system/*.rs extra",
                "user/*.*.*"
            })
    void parse_malformedResourceScope_isInvalid(String text) {
        assertThat(parser.parse(text)).isInstanceOf(ParsedScope.Invalid.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"openid", "fhirUser", "launch/patient", "launch", "offline_access", "online_access"})
    void parse_nonResourceScope_isOther(String text) {
        assertThat(parser.parse(text)).isEqualTo(new ParsedScope.Other(text));
    }

    @Test
    void parse_invalidScope_saysWhy() {
        ParsedScope parsed = parser.parse("patient/Obsrvation.rs");

        assertThat(parsed).isInstanceOf(ParsedScope.Invalid.class);
        assertThat(((ParsedScope.Invalid) parsed).reason()).contains("Obsrvation");
    }

    @Test
    void smartScope_covers_typeOrEveryTypeForWildcard() {
        assertThat(resource("patient/Observation.rs").covers("Observation")).isTrue();
        assertThat(resource("patient/Observation.rs").covers("Condition")).isFalse();
        assertThat(resource("patient/*.rs").covers("Condition")).isTrue();
        assertThat(new SmartScope(Context.USER, Optional.empty(), EnumSet.of(Permission.READ), List.of(), "x")
                        .coversAllTypes())
                .isTrue();
    }

    private SmartScope resource(String text) {
        ParsedScope parsed = parser.parse(text);
        assertThat(parsed).as(text).isInstanceOf(ParsedScope.Resource.class);
        return ((ParsedScope.Resource) parsed).scope();
    }
}
