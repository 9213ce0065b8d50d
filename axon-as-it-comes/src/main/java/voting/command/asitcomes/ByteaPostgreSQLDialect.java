package voting.command.asitcomes;

import org.hibernate.boot.model.TypeContributions;
import org.hibernate.dialect.PostgreSQLDialect;
import org.hibernate.service.ServiceRegistry;
import org.hibernate.type.SqlTypes;
import org.hibernate.type.descriptor.jdbc.BinaryJdbcType;

/**
 * PostgreSQL with Axon's entities under Hibernate 6: they mark their payload and metadata {@code @Lob}, which
 * Hibernate would bind as large objects (an {@code oid}); the event store's columns are {@code bytea}, as the JDBC
 * engine writes them. Only the binding changes: Flyway, not Hibernate, makes the columns.
 */
public class ByteaPostgreSQLDialect extends PostgreSQLDialect {

    @Override
    public void contributeTypes(TypeContributions contributions, ServiceRegistry services) {
        super.contributeTypes(contributions, services);
        contributions.getTypeConfiguration().getJdbcTypeRegistry().addDescriptor(SqlTypes.BLOB, BinaryJdbcType.INSTANCE);
    }
}
