package voting.query;

import org.springframework.jdbc.core.PreparedStatementSetter;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;

/** What JDBC makes awkward: instants in TIMESTAMPTZ columns (whatever the JVM's time zone) and arrays. */
public final class Sql {

    private Sql() {
    }

    public static OffsetDateTime timestamp(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    public static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /** Binds {@code values} as the statement's only parameter, an array of {@code type}: {@code WHERE x = ANY(?)}. */
    public static PreparedStatementSetter array(String type, Collection<?> values) {
        return statement -> statement.setArray(1, statement.getConnection().createArrayOf(type, values.toArray()));
    }
}
