package health.vigil.keycloak.realm;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Rewrites the repetitive part of {@code realm/vigil-realm.json} from {@link SmartScopes}: one client
 * scope per SMART resource scope, and each SMART client's optional scopes. Everything else in the
 * file is kept as it is (in the same order; formatting is normalized). Run it after changing {@link
 * SmartScopes}, from the repository root, and commit the result:
 *
 * <pre>
 * ./mvnw -q -pl keycloak test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=health.vigil.keycloak.realm.RealmScopesGenerator
 * </pre>
 *
 * {@link VigilRealmTest} fails while the file and the list disagree.
 */
public final class RealmScopesGenerator {

    static final Path REALM = Path.of("realm", "vigil-realm.json");

    private static final ObjectMapper JSON = new ObjectMapper();

    private RealmScopesGenerator() {}

    public static void main(String[] args) throws IOException {
        // exec:java runs in Maven's directory: the repository root, or the module with -f keycloak.
        Path realm = args.length > 0
                ? Path.of(args[0])
                : Files.exists(REALM) ? REALM : Path.of("keycloak").resolve(REALM);
        Files.writeString(realm, write(generate(JSON.readTree(realm.toFile()))));
    }

    /** The realm with its SMART resource scopes and the SMART clients' optional scopes generated. */
    static ObjectNode generate(JsonNode source) {
        ObjectNode realm = source.deepCopy();
        ArrayNode scopes = JSON.createArrayNode();
        realm.withArray("clientScopes").forEach(scope -> {
            if (!SmartScopes.isSmartScope(scope.path("name").asText())) {
                scopes.add(scope);
            }
        });
        SmartScopes.all().forEach(name -> scopes.add(clientScope(name)));
        realm.set("clientScopes", scopes);

        for (JsonNode client : realm.withArray("clients")) {
            for (SmartScopes.Context context : SmartScopes.Context.values()) {
                if (context.clients.contains(client.path("clientId").asText())) {
                    ArrayNode optional = JSON.createArrayNode();
                    client.path("optionalClientScopes").forEach(name -> {
                        if (!SmartScopes.isSmartScope(name.asText())) {
                            optional.add(name);
                        }
                    });
                    SmartScopes.of(context).forEach(optional::add);
                    ((ObjectNode) client).set("optionalClientScopes", optional);
                }
            }
        }
        return realm;
    }

    /** The JSON as the committed file has it: two-space indents, {@code "key": value}, a final newline. */
    static String write(JsonNode realm) throws IOException {
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withSeparators(Separators.createDefaultInstance()
                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                        .withArrayEmptySeparator("")
                        .withObjectEmptySeparator(""));
        printer.indentArraysWith(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"));
        printer.indentObjectsWith(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"));
        return JSON.writer(printer).writeValueAsString(realm) + "\n";
    }

    private static ObjectNode clientScope(String name) {
        ObjectNode scope = JSON.createObjectNode();
        scope.put("name", name);
        scope.put("description", "SMART: " + SmartScopes.description(name) + ".");
        scope.put("protocol", "openid-connect");
        // No attributes: Keycloak's defaults (in the token's scope, on the consent screen under its
        // name) are what SMART needs, and every attribute row costs import time (auto-flushes).
        return scope;
    }
}
