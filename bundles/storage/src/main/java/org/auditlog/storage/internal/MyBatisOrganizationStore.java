package org.auditlog.storage.internal;

import java.util.List;
import java.util.Optional;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSession;
import org.auditlog.api.access.Member;
import org.auditlog.api.access.Organization;
import org.auditlog.api.access.OrganizationSnapshot;
import org.auditlog.api.store.OrganizationStore;
import org.auditlog.api.store.StoreException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@link OrganizationStore} on MyBatis. A snapshot is saved whole: the organization row (guarded by its
 * revision), then its members and privilege history rewritten, in one transaction.
 */
@Component(service = OrganizationStore.class, property = StorageDatabase.STORE)
public class MyBatisOrganizationStore implements OrganizationStore {
    private final Database db;
    private final Transactions tx;

    /** The component: the store on the bundle's database. */
    @Activate
    public MyBatisOrganizationStore(@Reference StorageDatabase database) {
        this.db = database.database();
        this.tx = db.transactions();
    }

    @Override
    public Optional<OrganizationSnapshot> load(String spaceKey) {
        return tx.read("could not read organization " + spaceKey + ": ", session -> {
            OrganizationMapper m = session.getMapper(OrganizationMapper.class);
            Organization org = m.find(spaceKey);
            return org == null
                    ? Optional.<OrganizationSnapshot>empty()
                    : Optional.of(new OrganizationSnapshot(org, m.members(spaceKey), m.grants(spaceKey)));
        });
    }

    @Override
    public void save(OrganizationSnapshot snapshot) {
        Organization org = snapshot.organization();
        tx.write(
                "could not save organization " + org.spaceKey() + ": ",
                ExecutorType.REUSE,
                session -> {
                    OrganizationMapper m = session.getMapper(OrganizationMapper.class);
                    if (org.revision() == 0) {
                        m.insert(org);
                    } else if (m.update(org) != 1) {
                        throw new StoreException(
                                "organization " + org.spaceKey() + " was changed by someone else "
                                        + "(expected revision " + (org.revision() - 1) + "); reload and retry",
                                null);
                    }
                    m.deleteMembers(org.spaceKey());
                    for (Member member : snapshot.members()) {
                        m.insertMember(org.spaceKey(), member);
                    }
                    m.deleteGrants(org.spaceKey());
                    for (int i = 0; i < snapshot.grants().size(); i++) {
                        m.insertGrant(org.spaceKey(), i, snapshot.grants().get(i));
                    }
                    notifyChange(session, org.spaceKey());
                    return null;
                },
                SqlFailures::failure);
    }

    @Override
    public List<String> spaceKeys() {
        return tx.read(
                "could not list the organizations: ",
                session -> session.getMapper(OrganizationMapper.class).spaceKeys());
    }

    @Override
    public void purge(String spaceKey) {
        tx.update("could not purge organization " + spaceKey + ": ", session -> {
            OrganizationMapper m = session.getMapper(OrganizationMapper.class);
            m.deleteGrants(spaceKey);
            m.deleteMembers(spaceKey);
            m.delete(spaceKey);
            notifyChange(session, spaceKey);
        });
    }

    /**
     * PostgreSQL: tells every server listening ({@link PostgresOrganizationChanges}), once this transaction
     * commits.
     */
    private void notifyChange(SqlSession session, String spaceKey) {
        if (db.dialect() == Dialect.POSTGRESQL) {
            session.getMapper(OrganizationMapper.class).announce(PostgresOrganizationChanges.CHANNEL, spaceKey);
        }
    }
}
