package health.vigil.server.it.keycloak;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.CookieHandler;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Drives the vigil realm's OAuth flows over plain HTTP, as a SMART app or backend service would, with
 * no browser: the authorize request, Keycloak's login form (username and password posted with the
 * login cookies), the {@code code} read from the redirect without following it to the app, then the
 * token endpoint; client credentials with a signed {@code private_key_jwt} assertion; refresh,
 * introspection (as {@value #FHIR_SERVER}) and revocation.
 *
 * <p>It knows the realm's demo clients, users and secrets. Each login uses fresh cookies, so flows do
 * not share a Keycloak session. Nothing here logs a token.
 */
public final class OAuthFlows {

    /** Public SMART client for patients (authorization code, PKCE S256), {@code patient/...} scopes. */
    public static final String PATIENT_APP = "vigil-patient-app";
    /** Public SMART client for clinicians (authorization code, PKCE S256), {@code user/...} scopes. */
    public static final String CLINICIAN_APP = "vigil-clinician-app";
    /** Confidential client (secret) with authorization code and PKCE S256, {@code user/...} scopes. */
    public static final String PROVIDER = "vigil-provider";
    /** SMART Backend Services client: client credentials, {@code private_key_jwt}, {@code system/...} scopes. */
    public static final String BACKEND = "vigil-backend";
    /** The resource server's client, used only to introspect tokens. */
    public static final String FHIR_SERVER = "vigil-fhir-server";

    /** The demo patient: {@code fhirUser} Patient/vigil-demo-patient, patient vigil-demo-patient. */
    public static final User PATIENT_ANN = new User("patient.ann", "ann-demo-password");
    /** The demo clinician: {@code fhirUser} Practitioner/vigil-demo-practitioner. */
    public static final User DR_SMITH = new User("dr.smith", "smith-demo-password");

    private static final Map<String, String> SECRETS =
            Map.of(PROVIDER, "vigil-provider-demo-secret", FHIR_SERVER, "vigil-fhir-server-demo-secret");
    private static final Map<String, String> APP_PATHS =
            Map.of(PATIENT_APP, "patient", CLINICIAN_APP, "clinician", PROVIDER, "provider");

    private static final String BACKEND_KEY = "/keycloak/vigil-backend-demo-private.jwk.json";
    private static final Pattern FORM = Pattern.compile("<form\\b[^>]*>", Pattern.CASE_INSENSITIVE);
    private static final Pattern ACTION = Pattern.compile("\\baction=\"([^\"]*)\"");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final KeycloakServer keycloak;
    private final HttpClient http;

    public OAuthFlows(KeycloakServer keycloak) {
        this.keycloak = keycloak;
        this.http = newClient();
    }

    /** A demo user's login. */
    public record User(String username, String password) {
        @Override
        public String toString() {
            return username;
        }
    }

    /** A PKCE code verifier and its S256 challenge. */
    public record Pkce(String verifier, String challenge) {

        /** A fresh verifier (43 characters, the minimum) and its S256 challenge. */
        public static Pkce s256() {
            byte[] bytes = new byte[32];
            RANDOM.nextBytes(bytes);
            String verifier = base64Url(bytes);
            try {
                byte[] hash = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
                return new Pkce(verifier, base64Url(hash));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * Where the authorize endpoint sent the browser back to: the app's redirect URI with a {@code code}
     * or an {@code error}.
     *
     * @param status the HTTP status of the last response (302 for a redirect)
     * @param location the redirect, or {@code null} when there was none
     * @param parameters the query parameters of the redirect
     */
    public record AuthorizationResponse(int status, URI location, Map<String, String> parameters) {

        public Optional<String> code() {
            return Optional.ofNullable(parameters.get("code"));
        }

        public Optional<String> error() {
            return Optional.ofNullable(parameters.get("error"));
        }

        public Optional<String> errorDescription() {
            return Optional.ofNullable(parameters.get("error_description"));
        }
    }

    /**
     * A token endpoint answer: tokens and the SMART launch context, or an OAuth error.
     *
     * @param status the HTTP status
     * @param json the response body
     */
    public record TokenResponse(int status, Map<String, Object> json) {

        public boolean ok() {
            return status == 200 && json.containsKey("access_token");
        }

        /**
         * The response without its tokens: what to assert on, so a failing assertion does not print
         * tokens into the test reports.
         */
        public Map<String, Object> parameters() {
            Map<String, Object> parameters = new LinkedHashMap<>(json);
            parameters.keySet().removeAll(List.of("access_token", "refresh_token", "id_token"));
            return parameters;
        }

        public String accessToken() {
            return (String) json.get("access_token");
        }

        public String refreshToken() {
            return (String) json.get("refresh_token");
        }

        public String idToken() {
            return (String) json.get("id_token");
        }

        public String scope() {
            return (String) json.get("scope");
        }

        /** The granted scopes, split. */
        public List<String> scopes() {
            return scope() == null ? List.of() : List.of(scope().split(" "));
        }

        public String error() {
            return (String) json.get("error");
        }

        public String errorDescription() {
            return (String) json.get("error_description");
        }

        /** The access token's claims (payload only; the signature is not checked here). */
        public Map<String, Object> accessTokenClaims() {
            return claims(accessToken());
        }

        /** The ID token's claims (payload only). */
        public Map<String, Object> idTokenClaims() {
            return claims(idToken());
        }

        @Override
        public String toString() {
            // Never the tokens themselves: test failure messages end up in logs.
            return "TokenResponse[status=" + status + ", error=" + error() + ", description=" + errorDescription()
                    + ", scope=" + scope() + "]";
        }
    }

    /**
     * A token introspection answer (RFC 7662).
     *
     * @param status the HTTP status
     * @param json the response body: {@code active}, and when active the token's claims
     */
    public record Introspection(int status, Map<String, Object> json) {

        public boolean active() {
            return Boolean.TRUE.equals(json.get("active"));
        }
    }

    // ---- SMART flows ---------------------------------------------------------------------------

    /**
     * A standalone launch of the patient app by {@link #PATIENT_ANN}: authorization code with PKCE
     * S256 and {@code aud} = the FHIR base URL, then the code exchange.
     *
     * @param scopes the {@code scope} parameter, e.g. {@code openid fhirUser launch/patient patient/*.rs}
     * @return the token response; an error response when the authorize step already failed
     */
    public TokenResponse patientLaunch(String scopes) {
        return standaloneLaunch(PATIENT_APP, PATIENT_ANN, scopes);
    }

    /** A standalone launch of the clinician app by {@link #DR_SMITH}; see {@link #patientLaunch}. */
    public TokenResponse clinicianLaunch(String scopes) {
        return standaloneLaunch(CLINICIAN_APP, DR_SMITH, scopes);
    }

    /** A standalone launch of any of the realm's authorization code clients. */
    public TokenResponse standaloneLaunch(String clientId, User user, String scopes) {
        Pkce pkce = Pkce.s256();
        AuthorizationResponse authorization = authorize(authorizeParameters(clientId, scopes, pkce), user);
        if (authorization.code().isEmpty()) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("error", authorization.error().orElse("no_code"));
            authorization.errorDescription().ifPresent(description -> error.put("error_description", description));
            return new TokenResponse(authorization.status(), error);
        }
        return exchangeCode(clientId, authorization.code().get(), pkce.verifier());
    }

    /**
     * SMART Backend Services: client credentials for {@link #BACKEND}, authenticated with a fresh
     * RS384 assertion (see {@link #clientAssertion(Instant, String, RSAKey)}) expiring in 5 minutes.
     */
    public TokenResponse clientCredentials(String scopes) {
        return clientCredentials(
                scopes,
                clientAssertion(
                        Instant.now().plus(Duration.ofMinutes(5)),
                        UUID.randomUUID().toString(),
                        backendKey()));
    }

    /** Client credentials for {@link #BACKEND} with the given {@code client_assertion}. */
    public TokenResponse clientCredentials(String scopes, String clientAssertion) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        form.put("scope", scopes);
        form.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
        form.put("client_assertion", clientAssertion);
        return token(form, null);
    }

    /** The refresh token grant, as the client the refresh token was issued to. */
    public TokenResponse refresh(String refreshToken) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", refreshToken);
        return token(form, issuedTo(refreshToken));
    }

    /**
     * RFC 7009 revocation of an access or refresh token, as the client it was issued to.
     *
     * @return the HTTP status (200 when revoked, and for unknown tokens too, as RFC 7009 says)
     */
    public int revoke(String token) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("token", token);
        String clientId = issuedTo(token);
        return post(keycloak.revocationEndpoint(), form, clientId).statusCode();
    }

    /** RFC 7662 introspection of a token, as the resource server {@link #FHIR_SERVER}. */
    public Introspection introspect(String token) {
        return introspect(token, FHIR_SERVER);
    }

    /**
     * RFC 7662 introspection as a given confidential client. Keycloak answers {@code active: false}
     * unless that client is in the token's audience.
     */
    public Introspection introspect(String token, String clientId) {
        if (!SECRETS.containsKey(clientId)) {
            throw new IllegalArgumentException(clientId + " is not a confidential client with a secret");
        }
        HttpResponse<String> response = post(keycloak.introspectionEndpoint(), Map.of("token", token), clientId);
        return new Introspection(response.statusCode(), json(response.body()));
    }

    // ---- building blocks -----------------------------------------------------------------------

    /** The redirect URI of one of the realm's apps: {@code <public URL>/apps/<app>/callback}. */
    public String redirectUri(String clientId) {
        String path = APP_PATHS.get(clientId);
        if (path == null) {
            throw new IllegalArgumentException(clientId + " has no redirect URI");
        }
        return keycloak.publicUrl() + "/apps/" + path + "/callback";
    }

    /**
     * The parameters of a SMART authorize request: code flow, the app's redirect URI, a random state,
     * {@code aud} = the FHIR base URL and, unless {@code pkce} is null, the S256 challenge.
     */
    public Map<String, String> authorizeParameters(String clientId, String scopes, Pkce pkce) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("response_type", "code");
        parameters.put("client_id", clientId);
        parameters.put("redirect_uri", redirectUri(clientId));
        parameters.put("scope", scopes);
        parameters.put("state", UUID.randomUUID().toString());
        parameters.put("aud", keycloak.fhirBaseUrl());
        if (pkce != null) {
            parameters.put("code_challenge", pkce.challenge());
            parameters.put("code_challenge_method", "S256");
        }
        return parameters;
    }

    /**
     * The authorize step: GET the authorize URL, log the user in on Keycloak's login form, and read
     * where Keycloak redirects to (not followed).
     *
     * @param parameters the authorize request's query parameters, sent as they are
     * @throws IllegalStateException when Keycloak shows anything but its login form, or the login fails
     */
    public AuthorizationResponse authorize(Map<String, String> parameters, User user) {
        HttpClient browser = newClient();
        HttpResponse<String> page = send(
                browser,
                HttpRequest.newBuilder(URI.create(keycloak.authorizationEndpoint() + "?" + form(parameters)))
                        .GET());
        if (page.statusCode() == 302) {
            return redirect(page);
        }
        String action = loginFormAction(page);
        Map<String, String> login = new LinkedHashMap<>();
        login.put("username", user.username());
        login.put("password", user.password());
        login.put("credentialId", "");
        HttpResponse<String> loggedIn = send(
                browser,
                HttpRequest.newBuilder(URI.create(action))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form(login))));
        if (loggedIn.statusCode() != 302) {
            throw new IllegalStateException("Login of " + user + " did not redirect: HTTP " + loggedIn.statusCode()
                    + " (wrong password, or Keycloak asks for a required action)");
        }
        return redirect(loggedIn);
    }

    /**
     * The authorization code exchange; a confidential client authenticates with its secret.
     *
     * @param codeVerifier the PKCE verifier, or {@code null} to send none
     */
    public TokenResponse exchangeCode(String clientId, String code, String codeVerifier) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", redirectUri(clientId));
        if (codeVerifier != null) {
            form.put("code_verifier", codeVerifier);
        }
        return token(form, clientId);
    }

    /**
     * A SMART Backend Services client assertion for {@link #BACKEND}: {@code iss} = {@code sub} = the
     * client id, {@code aud} = the token endpoint, {@code exp}, {@code jti}, and no {@code iat}, signed
     * RS384 with {@code key} (its {@code kid} in the header).
     */
    public String clientAssertion(Instant expires, String jti, RSAKey key) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(BACKEND)
                .subject(BACKEND)
                .audience(keycloak.tokenEndpoint().toString())
                .expirationTime(Date.from(expires))
                .jwtID(jti)
                .build();
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS384)
                        .keyID(key.getKeyID())
                        .type(JOSEObjectType.JWT)
                        .build(),
                claims);
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign the client assertion", e);
        }
        return jwt.serialize();
    }

    /** The demo private key of {@link #BACKEND}, whose public half is in the realm (test resources). */
    public static RSAKey backendKey() {
        try (InputStream in = OAuthFlows.class.getResourceAsStream(BACKEND_KEY)) {
            if (in == null) {
                throw new IllegalStateException(BACKEND_KEY + " is not on the test classpath");
            }
            return RSAKey.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ParseException e) {
            throw new IllegalStateException(BACKEND_KEY + " is not an RSA JWK", e);
        }
    }

    /** A claim that is a string or a list of strings (such as {@code aud}), as a list. */
    public static List<String> strings(Object claim) {
        if (claim == null) {
            return List.of();
        }
        if (claim instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return List.of(String.valueOf(claim));
    }

    /** The claims of a JWT (payload only; the signature is not checked). */
    public static Map<String, Object> claims(String jwt) {
        try {
            return JWTParser.parse(jwt).getJWTClaimsSet().toJSONObject();
        } catch (ParseException e) {
            throw new IllegalArgumentException("not a JWT", e);
        }
    }

    // ---- HTTP ----------------------------------------------------------------------------------

    private TokenResponse token(Map<String, String> form, String clientId) {
        HttpResponse<String> response = post(keycloak.tokenEndpoint(), form, clientId);
        return new TokenResponse(response.statusCode(), json(response.body()));
    }

    /**
     * POSTs a form as a client: a confidential client with HTTP Basic and its secret, a public one
     * with its {@code client_id}; {@code null} sends no client credentials (client assertions).
     */
    private HttpResponse<String> post(URI endpoint, Map<String, String> form, String clientId) {
        Map<String, String> body = new LinkedHashMap<>(form);
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json");
        if (clientId != null && SECRETS.containsKey(clientId)) {
            String credentials = encode(clientId) + ":" + encode(SECRETS.get(clientId));
            request.header(
                    "Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        } else if (clientId != null) {
            body.put("client_id", clientId);
        }
        return send(http, request.POST(HttpRequest.BodyPublishers.ofString(form(body))));
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest.Builder request) {
        try {
            return client.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static HttpClient newClient() {
        return HttpClient.newBuilder()
                .cookieHandler(new LoginCookies())
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    /**
     * The cookies of one browser. Keycloak marks its login cookies {@code Secure} (with {@code
     * SameSite=None}), which java.net's {@link CookieManager} then withholds over plain http; browsers
     * treat 127.0.0.1 as secure and send them. So the attribute is dropped before storing.
     */
    private static final class LoginCookies extends CookieHandler {

        private static final Pattern SECURE = Pattern.compile(";\\s*Secure\\s*(?=;|$)", Pattern.CASE_INSENSITIVE);

        private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ORIGINAL_SERVER);

        @Override
        public Map<String, List<String>> get(URI uri, Map<String, List<String>> requestHeaders) throws IOException {
            return cookies.get(uri, requestHeaders);
        }

        @Override
        public void put(URI uri, Map<String, List<String>> responseHeaders) throws IOException {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            responseHeaders.forEach((name, values) -> headers.put(
                    name,
                    name != null && name.toLowerCase(Locale.ROOT).startsWith("set-cookie")
                            ? values.stream()
                                    .map(value -> SECURE.matcher(value).replaceAll(""))
                                    .toList()
                            : values));
            cookies.put(uri, headers);
        }
    }

    private static AuthorizationResponse redirect(HttpResponse<String> response) {
        URI location = response.headers()
                .firstValue("Location")
                .map(URI::create)
                .orElseThrow(() -> new IllegalStateException("redirect without Location"));
        return new AuthorizationResponse(response.statusCode(), location, query(location));
    }

    private static String loginFormAction(HttpResponse<String> page) {
        Matcher forms = FORM.matcher(page.body());
        while (forms.find()) {
            String tag = forms.group();
            Matcher action = ACTION.matcher(tag);
            if (tag.contains("id=\"kc-form-login\"") && action.find()) {
                return action.group(1).replace("&amp;", "&");
            }
        }
        throw new IllegalStateException("Keycloak answered HTTP " + page.statusCode() + " without its login form");
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> parameters = new LinkedHashMap<>();
        String query = uri.getRawQuery();
        if (query == null) {
            return parameters;
        }
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            parameters.put(decode(name), decode(value));
        }
        return parameters;
    }

    private static Map<String, Object> json(String body) {
        try {
            return body == null || body.isBlank() ? Map.of() : JSON.readValue(body, new TypeReference<>() {});
        } catch (IOException e) {
            return Map.of("error", "not_json", "error_description", "HTTP body is not JSON");
        }
    }

    private static String issuedTo(String token) {
        Object azp = claims(token).get("azp");
        if (!(azp instanceof String clientId)) {
            throw new IllegalArgumentException("token names no azp client");
        }
        return clientId;
    }

    private static String form(Map<String, String> parameters) {
        return parameters.entrySet().stream()
                .map(entry -> encode(entry.getKey()) + "=" + encode(entry.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String decode(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
