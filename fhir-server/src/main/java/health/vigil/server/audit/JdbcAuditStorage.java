package health.vigil.server.audit;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import health.vigil.interceptors.api.AuditStorage;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import javax.sql.DataSource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventEntityComponent;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.StringType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The audit trail in three tables of the server's database, next to HAPI's: {@code VGL_AUDIT_EVENT}
 * (one row per event: its sequence number, the columns searches filter on, the event as FHIR JSON and
 * its hash), {@code VGL_AUDIT_PATIENT} (which patients each event is about) and
 * {@code VGL_AUDIT_CHAIN} (one row: the newest sequence and hash, and the retention anchor). Appends
 * lock the chain row, so servers sharing the database keep one chain. Plain SQL that H2 and
 * PostgreSQL both run; the tables are created at start when missing.
 */
final class JdbcAuditStorage implements AuditStorage {

    private static final String CHAIN_EXTENSION = "https://vigil.health/fhir/StructureDefinition/audit-chain";
    private static final String GENESIS = "0".repeat(64);
    private static final int AGENTS_LENGTH = 2000;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final FhirContext fhirContext;

    JdbcAuditStorage(DataSource dataSource, FhirContext fhirContext) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.fhirContext = fhirContext;
    }

    /** Creates the tables and the chain row when they do not exist yet. */
    void createSchema() {
        jdbc.execute("CREATE TABLE IF NOT EXISTS VGL_AUDIT_EVENT ("
                + "SEQ BIGINT NOT NULL PRIMARY KEY, "
                + "RECORDED TIMESTAMP WITH TIME ZONE NOT NULL, "
                + "OUTCOME VARCHAR(4) NOT NULL, "
                + "SUBTYPE VARCHAR(64) NOT NULL, "
                + "BREAK_GLASS BOOLEAN NOT NULL, "
                + "AGENTS VARCHAR(" + AGENTS_LENGTH + ") NOT NULL, "
                + "CONTENT TEXT NOT NULL, "
                + "HASH VARCHAR(64) NOT NULL)");
        jdbc.execute("CREATE INDEX IF NOT EXISTS VGL_AUDIT_EVENT_RECORDED ON VGL_AUDIT_EVENT (RECORDED)");
        jdbc.execute("CREATE TABLE IF NOT EXISTS VGL_AUDIT_PATIENT ("
                + "PATIENT_ID VARCHAR(64) NOT NULL, SEQ BIGINT NOT NULL, PRIMARY KEY (PATIENT_ID, SEQ))");
        jdbc.execute("CREATE TABLE IF NOT EXISTS VGL_AUDIT_CHAIN ("
                + "ID INT NOT NULL PRIMARY KEY, SEQ BIGINT NOT NULL, HASH VARCHAR(64) NOT NULL, "
                + "ANCHOR_SEQ BIGINT NOT NULL, ANCHOR_HASH VARCHAR(64) NOT NULL)");
        transactions.executeWithoutResult(status -> {
            Integer rows = jdbc.queryForObject("SELECT COUNT(*) FROM VGL_AUDIT_CHAIN", Integer.class);
            if (rows == null || rows == 0) {
                jdbc.update(
                        "INSERT INTO VGL_AUDIT_CHAIN (ID, SEQ, HASH, ANCHOR_SEQ, ANCHOR_HASH) VALUES (1, 0, ?, 0, ?)",
                        GENESIS,
                        GENESIS);
            }
        });
    }

    @Override
    public void append(List<AuditEvent> events, BiFunction<ChainHead, List<AuditEvent>, ChainHead> link) {
        transactions.executeWithoutResult(status -> {
            ChainHead head = lockedHead();
            ChainHead next = link.apply(head, events);
            IParser parser = fhirContext.newJsonParser();
            List<Object[]> rows = new ArrayList<>(events.size());
            List<Object[]> patients = new ArrayList<>();
            for (AuditEvent event : events) {
                long sequence = Long.parseLong(event.getIdElement().getIdPart());
                rows.add(new Object[] {
                    sequence,
                    Timestamp.from(event.getRecorded().toInstant()),
                    event.hasOutcome() ? event.getOutcome().toCode() : "0",
                    event.getSubtypeFirstRep().hasCode()
                            ? event.getSubtypeFirstRep().getCode()
                            : "",
                    breakGlass(event),
                    agents(event),
                    parser.encodeResourceToString(event),
                    chainHash(event)
                });
                for (String patient : patients(event)) {
                    patients.add(new Object[] {patient, sequence});
                }
            }
            jdbc.batchUpdate(
                    "INSERT INTO VGL_AUDIT_EVENT (SEQ, RECORDED, OUTCOME, SUBTYPE, BREAK_GLASS, AGENTS, CONTENT, HASH)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    rows);
            if (!patients.isEmpty()) {
                jdbc.batchUpdate("INSERT INTO VGL_AUDIT_PATIENT (PATIENT_ID, SEQ) VALUES (?, ?)", patients);
            }
            jdbc.update("UPDATE VGL_AUDIT_CHAIN SET SEQ = ?, HASH = ? WHERE ID = 1", next.sequence(), next.hash());
        });
    }

    @Override
    public ChainHead head() {
        return jdbc.queryForObject(
                "SELECT SEQ, HASH, ANCHOR_SEQ, ANCHOR_HASH FROM VGL_AUDIT_CHAIN WHERE ID = 1",
                (rs, row) -> new ChainHead(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4)));
    }

    @Override
    public List<AuditEvent> read(long from, int count) {
        return jdbc.query(
                "SELECT SEQ, RECORDED, CONTENT FROM VGL_AUDIT_EVENT WHERE SEQ >= ? ORDER BY SEQ LIMIT ?",
                (rs, row) -> event(rs.getLong(1), rs.getTimestamp(2), rs.getString(3)),
                from,
                count);
    }

    @Override
    public Optional<AuditEvent> read(String id) {
        if (!id.matches("[0-9]{1,18}")) {
            return Optional.empty();
        }
        return jdbc
                .query(
                        "SELECT SEQ, RECORDED, CONTENT FROM VGL_AUDIT_EVENT WHERE SEQ = ?",
                        (rs, row) -> event(rs.getLong(1), rs.getTimestamp(2), rs.getString(3)),
                        Long.parseLong(id))
                .stream()
                .findFirst();
    }

    @Override
    public List<AuditEvent> search(AuditQuery query, int offset, int count) {
        Where where = where(query);
        List<Object> arguments = new ArrayList<>(where.arguments());
        arguments.add(count);
        arguments.add(offset);
        return jdbc.query(
                "SELECT SEQ, RECORDED, CONTENT FROM VGL_AUDIT_EVENT" + where.sql()
                        + " ORDER BY SEQ DESC LIMIT ? OFFSET ?",
                (rs, row) -> event(rs.getLong(1), rs.getTimestamp(2), rs.getString(3)),
                arguments.toArray());
    }

    @Override
    public long count(AuditQuery query) {
        Where where = where(query);
        Long count = jdbc.queryForObject(
                "SELECT COUNT(*) FROM VGL_AUDIT_EVENT" + where.sql(),
                Long.class,
                where.arguments().toArray());
        return count == null ? 0 : count;
    }

    @Override
    public long removeRecordedBefore(Instant cutoff) {
        Long removed = transactions.execute(status -> {
            ChainHead head = lockedHead();
            List<Object[]> last = jdbc.query(
                    "SELECT SEQ, HASH FROM VGL_AUDIT_EVENT WHERE SEQ = (SELECT MAX(SEQ) FROM VGL_AUDIT_EVENT"
                            + " WHERE RECORDED < ?)",
                    (rs, row) -> new Object[] {rs.getLong(1), rs.getString(2)},
                    Timestamp.from(cutoff));
            if (last.isEmpty()) {
                return 0L;
            }
            long upTo = (Long) last.get(0)[0];
            jdbc.update("DELETE FROM VGL_AUDIT_PATIENT WHERE SEQ <= ?", upTo);
            int deleted = jdbc.update("DELETE FROM VGL_AUDIT_EVENT WHERE SEQ <= ?", upTo);
            jdbc.update(
                    "UPDATE VGL_AUDIT_CHAIN SET ANCHOR_SEQ = ?, ANCHOR_HASH = ? WHERE ID = 1",
                    Math.max(upTo, head.anchorSequence()),
                    last.get(0)[1]);
            return (long) deleted;
        });
        return removed == null ? 0 : removed;
    }

    private ChainHead lockedHead() {
        return jdbc.queryForObject(
                "SELECT SEQ, HASH, ANCHOR_SEQ, ANCHOR_HASH FROM VGL_AUDIT_CHAIN WHERE ID = 1 FOR UPDATE",
                (rs, row) -> new ChainHead(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4)));
    }

    private AuditEvent event(long sequence, Timestamp recorded, String content) {
        AuditEvent event = fhirContext.newJsonParser().parseResource(AuditEvent.class, content);
        event.setId(Long.toString(sequence));
        event.getMeta().setVersionId("1").setLastUpdated(new Date(recorded.getTime()));
        return event;
    }

    private static Where where(AuditQuery query) {
        StringBuilder sql = new StringBuilder();
        List<Object> arguments = new ArrayList<>();
        query.id().ifPresent(id -> {
            and(sql, "SEQ = ?");
            arguments.add(id.matches("[0-9]{1,18}") ? Long.parseLong(id) : -1L);
        });
        query.patient().ifPresent(patient -> {
            and(sql, "SEQ IN (SELECT SEQ FROM VGL_AUDIT_PATIENT WHERE PATIENT_ID = ?)");
            arguments.add(patient);
        });
        query.agent().ifPresent(agent -> {
            and(sql, "AGENTS LIKE ?");
            arguments.add("%|" + agent.replace("%", "").replace("_", "\\_") + "|%");
        });
        query.outcome().ifPresent(outcome -> {
            and(sql, "OUTCOME = ?");
            arguments.add(outcome);
        });
        query.subtype().ifPresent(subtype -> {
            and(sql, "SUBTYPE = ?");
            arguments.add(subtype);
        });
        if (query.breakGlass()) {
            and(sql, "BREAK_GLASS = TRUE");
        }
        query.from().ifPresent(from -> {
            and(sql, "RECORDED >= ?");
            arguments.add(Timestamp.from(from));
        });
        query.to().ifPresent(to -> {
            and(sql, "RECORDED < ?");
            arguments.add(Timestamp.from(to));
        });
        return new Where(sql.toString(), arguments);
    }

    private static void and(StringBuilder sql, String condition) {
        sql.append(sql.isEmpty() ? " WHERE " : " AND ").append(condition);
    }

    private static boolean breakGlass(AuditEvent event) {
        return event.getAgent().stream()
                .flatMap(agent -> agent.getPolicy().stream())
                .anyMatch(policy -> BREAK_GLASS_POLICY.equals(policy.getValue()));
    }

    /** {@code |Practitioner/1|client-id|subject|}: what {@code agent=} matches. */
    private static String agents(AuditEvent event) {
        Set<String> agents = new LinkedHashSet<>();
        for (AuditEventAgentComponent agent : event.getAgent()) {
            if (agent.getWho().hasReference()) {
                agents.add(agent.getWho().getReference());
            }
            if (agent.getWho().hasIdentifier() && agent.getWho().getIdentifier().hasValue()) {
                agents.add(agent.getWho().getIdentifier().getValue());
            }
            if (agent.hasAltId()) {
                agents.add(agent.getAltId());
            }
        }
        String joined = "|" + String.join("|", agents) + "|";
        return joined.length() <= AGENTS_LENGTH ? joined : joined.substring(0, AGENTS_LENGTH - 1) + "|";
    }

    private static Set<String> patients(AuditEvent event) {
        Set<String> patients = new LinkedHashSet<>();
        for (AuditEventEntityComponent entity : event.getEntity()) {
            String reference = entity.getWhat().getReference();
            if (reference != null && reference.startsWith("Patient/") && reference.length() > "Patient/".length()) {
                String id = reference.substring("Patient/".length());
                if (id.length() <= 64) {
                    patients.add(id);
                }
            }
        }
        return patients;
    }

    private static String chainHash(AuditEvent event) {
        Extension chain = event.getExtensionByUrl(CHAIN_EXTENSION);
        Extension hash = chain == null ? null : chain.getExtensionByUrl("hash");
        return hash == null ? "" : ((StringType) hash.getValue()).getValue();
    }

    private record Where(String sql, List<Object> arguments) {}
}
