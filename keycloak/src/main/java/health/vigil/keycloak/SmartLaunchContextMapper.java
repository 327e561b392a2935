package health.vigil.keycloak;

import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperContainerModel;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.ProtocolMapperConfigException;
import org.keycloak.protocol.oidc.mappers.AbstractOIDCProtocolMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAccessTokenMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAccessTokenResponseMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAttributeMapperHelper;
import org.keycloak.protocol.oidc.mappers.TokenIntrospectionTokenMapper;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.representations.AccessTokenResponse;
import org.keycloak.representations.IDToken;

/**
 * Adds the SMART App Launch 2.x launch context to the access token and, beside it, to the token
 * response, which Keycloak's built-in mappers cannot do for a user attribute.
 *
 * <ul>
 *   <li>{@code patient}: the FHIR id of the patient, from a user attribute ({@value
 *       LaunchContext#DEFAULT_PATIENT_ATTRIBUTE} unless configured); in the access token, the
 *       introspection response and the token response. Left out when the user has no such attribute
 *       or its value is not a FHIR id.
 *   <li>{@code need_patient_banner}: configured, {@code true} unless set to {@code false}; token
 *       response only.
 *   <li>{@code smart_style_url}: configured, optional; token response only.
 * </ul>
 *
 * <p>Attach it to the {@code launch/patient} client scope: Keycloak runs a client scope's mappers only
 * when the scope is granted, so tokens carry a patient only when {@code launch/patient} was asked for
 * and allowed. Each part can be switched off with the usual "Add to access token", "Add to token
 * response" and "Add to token introspection" settings.
 *
 * <p>Keycloak creates one instance per server and calls it concurrently; it holds no state.
 */
public final class SmartLaunchContextMapper extends AbstractOIDCProtocolMapper
        implements OIDCAccessTokenMapper, OIDCAccessTokenResponseMapper, TokenIntrospectionTokenMapper {

    /** The mapper type, as realm files and the admin REST API name it. */
    public static final String PROVIDER_ID = "vigil-smart-launch-context-mapper";

    private static final Logger LOG = Logger.getLogger(SmartLaunchContextMapper.class);

    private static final List<ProviderConfigProperty> CONFIG_PROPERTIES = configProperties();

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayType() {
        return "SMART launch context";
    }

    @Override
    public String getDisplayCategory() {
        return TOKEN_MAPPER_CATEGORY;
    }

    @Override
    public String getHelpText() {
        return "Adds the SMART App Launch context (patient, need_patient_banner, smart_style_url) to the"
                + " access token and the token response. Attach it to the launch/patient client scope.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return CONFIG_PROPERTIES;
    }

    @Override
    public void validateConfig(
            KeycloakSession session, RealmModel realm, ProtocolMapperContainerModel client, ProtocolMapperModel mapper)
            throws ProtocolMapperConfigException {
        var problem = LaunchContext.problem(mapper.getConfig());
        if (problem.isPresent()) {
            throw new ProtocolMapperConfigException(problem.get());
        }
    }

    @Override
    protected void setClaim(
            IDToken token,
            ProtocolMapperModel mapper,
            UserSessionModel userSession,
            KeycloakSession session,
            ClientSessionContext clientSessionCtx) {
        token.getOtherClaims().putAll(launchContext(mapper, userSession).tokenClaims());
    }

    @Override
    protected void setClaim(
            AccessTokenResponse response,
            ProtocolMapperModel mapper,
            UserSessionModel userSession,
            KeycloakSession session,
            ClientSessionContext clientSessionCtx) {
        response.getOtherClaims().putAll(launchContext(mapper, userSession).tokenResponseParameters());
    }

    private static LaunchContext launchContext(ProtocolMapperModel mapper, UserSessionModel userSession) {
        UserModel user = userSession == null ? null : userSession.getUser();
        LaunchContext context = LaunchContext.of(
                mapper.getConfig(), attribute -> user == null ? null : user.getFirstAttribute(attribute));
        if (context.patient().isEmpty() && LOG.isDebugEnabled()) {
            // The attribute's value may identify a patient: not logged, only that it is missing or invalid.
            LOG.debugf(
                    "No patient in the launch context: user attribute '%s' is missing or not a FHIR id",
                    LaunchContext.patientAttribute(mapper.getConfig()));
        }
        return context;
    }

    private static List<ProviderConfigProperty> configProperties() {
        ProviderConfigProperty patient = new ProviderConfigProperty(
                LaunchContext.PATIENT_ATTRIBUTE,
                "Patient user attribute",
                "The user attribute that holds the FHIR id of the user's patient record (e.g. 123 for Patient/123).",
                ProviderConfigProperty.USER_PROFILE_ATTRIBUTE_LIST_TYPE,
                LaunchContext.DEFAULT_PATIENT_ATTRIBUTE);
        ProviderConfigProperty banner = new ProviderConfigProperty(
                LaunchContext.NEED_PATIENT_BANNER,
                "need_patient_banner",
                "Whether apps must show a patient banner (SMART need_patient_banner).",
                ProviderConfigProperty.BOOLEAN_TYPE,
                "true");
        ProviderConfigProperty style = new ProviderConfigProperty(
                LaunchContext.STYLE_URL,
                "smart_style_url",
                "Optional. An absolute URL of the host's SMART style parameters (SMART smart_style_url).",
                ProviderConfigProperty.STRING_TYPE,
                null);
        List<ProviderConfigProperty> properties = new ArrayList<>(List.of(patient, banner, style));
        OIDCAttributeMapperHelper.addIncludeInTokensConfig(properties, SmartLaunchContextMapper.class);
        // The token response is where SMART apps read the launch context: on by default here.
        properties.stream()
                .filter(p -> OIDCAttributeMapperHelper.INCLUDE_IN_ACCESS_TOKEN_RESPONSE.equals(p.getName()))
                .forEach(p -> p.setDefaultValue("true"));
        return List.copyOf(properties);
    }
}
