package health.vigil.server.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestSecurityComponent;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.UriType;

/**
 * Declares SMART on FHIR in the CapabilityStatement's {@code rest.security}: the SMART-on-FHIR service
 * code, CORS, and the OAuth endpoints in the {@code oauth-uris} extension, as SMART App Launch 2.x
 * describes for servers that also publish {@code .well-known/smart-configuration}.
 */
@Interceptor
final class SmartCapabilityStatementInterceptor {

    static final String OAUTH_URIS = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris";
    static final String SECURITY_SERVICE = "http://terminology.hl7.org/CodeSystem/restful-security-service";

    private final VigilSecurityProperties properties;

    SmartCapabilityStatementInterceptor(VigilSecurityProperties properties) {
        this.properties = properties;
    }

    @Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
    public void addSecurity(IBaseConformance capabilityStatement) {
        if (!(capabilityStatement instanceof CapabilityStatement statement)) {
            return;
        }
        for (CapabilityStatementRestComponent rest : statement.getRest()) {
            CapabilityStatementRestSecurityComponent security = new CapabilityStatementRestSecurityComponent();
            security.setCors(true);
            security.addService(new CodeableConcept(new Coding(SECURITY_SERVICE, "SMART-on-FHIR", "SMART-on-FHIR"))
                    .setText("OAuth2 using SMART-on-FHIR profile (see http://docs.smarthealthit.org)"));
            security.setDescription("SMART App Launch 2.x: bearer tokens from " + properties.issuer()
                    + "; discovery at .well-known/smart-configuration");
            Extension oauth = security.addExtension().setUrl(OAUTH_URIS);
            oauth.addExtension("authorize", new UriType(properties.authorizationEndpoint()));
            oauth.addExtension("token", new UriType(properties.tokenEndpoint()));
            oauth.addExtension("revoke", new UriType(properties.revocationEndpoint()));
            oauth.addExtension("introspect", new UriType(properties.introspectionEndpoint()));
            oauth.addExtension("manage", new UriType(properties.managementEndpoint()));
            rest.setSecurity(security);
        }
    }
}
