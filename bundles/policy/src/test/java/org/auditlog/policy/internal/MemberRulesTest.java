package org.auditlog.policy.internal;

import static org.auditlog.policy.internal.Fixtures.ANN;
import static org.auditlog.policy.internal.Fixtures.BOB;
import static org.auditlog.policy.internal.Fixtures.DAN;
import static org.auditlog.policy.internal.Fixtures.day;
import static org.auditlog.policy.internal.Fixtures.member;
import static org.auditlog.policy.internal.Fixtures.recorded;
import static org.auditlog.policy.internal.Fixtures.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.auditlog.api.access.Member;
import org.auditlog.api.access.OrganizationSnapshot;
import org.auditlog.api.access.PlanState;
import org.auditlog.api.access.PolicyException.Kind;
import org.auditlog.api.access.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MemberRulesTest {
    static final Member EVE = new Member("u-eve", "Eve Evans", "eve@acme.example", Role.MEMBER);

    @Test
    void anAddedMemberIsRecordedAsInvitedWhileThePlanRuns() {
        Outcome o = Rules.addMember(Fixtures.trial(), EVE, day(1));
        assertEquals(EVE, member(o.snapshot(), "u-eve"));
        assertEquals(List.of("A|Member|Invite a member|eve@acme.example was invited"), recorded(o));
    }

    @Test
    void membersAddedBeforeThePlanStartsOrAfterItEndedAreKeptButNotRecorded() {
        for (PlanState state :
                List.of(PlanState.NOT_ACTIVATED, PlanState.TERMINATED, PlanState.TRIAL_EXPIRED, PlanState.CANCELED)) {
            Outcome o = Rules.addMember(Fixtures.inState(state), EVE, day(1));
            assertTrue(o.changed(), state.name());
            assertEquals(List.of(), o.changes(), state.name());
        }
    }

    static Stream<Arguments> invalidMembers() {
        return Stream.of(
                Arguments.of(new Member(null, "Eve", "eve@acme.example", Role.MEMBER), "userId", "required"),
                Arguments.of(new Member(" ", "Eve", "eve@acme.example", Role.MEMBER), "userId", "required"),
                Arguments.of(new Member("u".repeat(129), "Eve", "eve@acme.example", Role.MEMBER), "userId", "too_long"),
                Arguments.of(new Member("u-eve", null, "eve@acme.example", Role.MEMBER), "name", "required"),
                Arguments.of(new Member("u-eve", "", "eve@acme.example", Role.MEMBER), "name", "required"),
                Arguments.of(new Member("u-eve", "n".repeat(256), "eve@acme.example", Role.MEMBER), "name", "too_long"),
                Arguments.of(
                        new Member("u-eve", "System user", "eve@acme.example", Role.MEMBER), "name", "reserved_name"),
                Arguments.of(
                        new Member("u-eve", "Nulab Support", "eve@acme.example", Role.MEMBER), "name", "reserved_name"),
                Arguments.of(new Member("u-eve", "Eve", null, Role.MEMBER), "email", "required"),
                Arguments.of(new Member("u-eve", "Eve", "eve.acme.example", Role.MEMBER), "email", "invalid_format"),
                Arguments.of(new Member("u-eve", "Eve", "@acme.example", Role.MEMBER), "email", "invalid_format"),
                Arguments.of(new Member("u-eve", "Eve", "eve@", Role.MEMBER), "email", "invalid_format"),
                Arguments.of(
                        new Member("u-eve", "Eve", "e".repeat(242) + "@acme.example", Role.MEMBER),
                        "email",
                        "too_long"),
                Arguments.of(new Member("u-eve", "Eve", "eve@acme.example", null), "role", "required"));
    }

    @ParameterizedTest
    @MethodSource("invalidMembers")
    void membersAreChecked(Member m, String field, String rule) {
        refused(Kind.INVALID, rule, field, () -> Rules.addMember(Fixtures.trial(), m, day(1)));
    }

    @Test
    void valuesAtTheirLimitsAreAccepted() {
        Member longest = new Member("u".repeat(128), "n".repeat(255), "e".repeat(241) + "@acme.example", Role.GUEST);
        assertEquals(254, longest.email().length());
        assertEquals(
                longest,
                member(Rules.addMember(Fixtures.trial(), longest, day(1)).snapshot(), longest.userId()));
    }

    @Test
    void theReservedNamesAreRefusedWithASentenceThatSaysWhy() {
        var e = refused(
                Kind.INVALID,
                "reserved_name",
                "name",
                () -> Rules.updateMember(Fixtures.trial(), DAN.userId(), " System user ", null, null, day(1)));
        assertEquals(
                "\" System user \" is reserved for the support team and the system; choose another member name.",
                e.getMessage());
    }

    @Test
    void addingAnExistingUserIsAConflict() {
        Member again = new Member(BOB.userId(), "Robert", "robert@acme.example", Role.ADMIN);
        var e = refused(Kind.CONFLICT, "member_exists", null, () -> Rules.addMember(Fixtures.trial(), again, day(1)));
        assertEquals("User u-bob is already a member of ACME.", e.getMessage());
    }

    @Test
    void unknownMembersAreNotFound() {
        OrganizationSnapshot s = Fixtures.trial();
        var e = refused(Kind.NOT_FOUND, "no_such_member", null, () -> Rules.removeMember(s, "u-nobody", day(1)));
        assertEquals("User u-nobody is not a member of ACME.", e.getMessage());
        refused(
                Kind.NOT_FOUND,
                "no_such_member",
                null,
                () -> Rules.updateMember(s, "u-nobody", "X", null, null, day(1)));
        refused(Kind.NOT_FOUND, "no_such_member", null, () -> Rules.grant(s, "u-nobody", Fixtures.as(ANN), day(1)));
        refused(Kind.NOT_FOUND, "no_such_member", null, () -> Rules.revoke(s, "u-nobody", Fixtures.as(ANN), day(1)));
    }

    @Test
    void aProfileChangeIsRecordedUnderTheFormerEmail() {
        Outcome o =
                Rules.updateMember(Fixtures.trial(), DAN.userId(), "Daniel Drake", "daniel@acme.example", null, day(1));
        assertEquals(
                new Member(DAN.userId(), "Daniel Drake", "daniel@acme.example", Role.MEMBER),
                member(o.snapshot(), DAN.userId()));
        assertEquals(
                List.of("A|Member|Update a member|Profile of dan@acme.example was updated (name, email)"), recorded(o));
        Outcome nameOnly = Rules.updateMember(Fixtures.trial(), DAN.userId(), "Daniel Drake", null, null, day(1));
        assertEquals(
                List.of("A|Member|Update a member|Profile of dan@acme.example was updated (name)"), recorded(nameOnly));
    }

    @Test
    void aRoleChangeIsRecordedFromAndTo() {
        Outcome o = Rules.updateMember(Fixtures.trial(), DAN.userId(), null, null, Role.ADMIN, day(1));
        assertEquals(Role.ADMIN, member(o.snapshot(), DAN.userId()).role());
        assertEquals(
                List.of("A|Member|Change a member's role|Role of dan@acme.example was changed from member to admin"),
                recorded(o));
    }

    @Test
    void profileAndRoleTogetherGiveTwoRecordsTheRoleNamingTheNewEmail() {
        Outcome o = Rules.updateMember(Fixtures.trial(), DAN.userId(), null, "d@acme.example", Role.GUEST, day(1));
        assertEquals(
                List.of(
                        "A|Member|Update a member|Profile of dan@acme.example was updated (email)",
                        "A|Member|Change a member's role|Role of d@acme.example was changed from member to guest"),
                recorded(o));
    }

    @Test
    void anUpdateThatChangesNothingIsNoChange() {
        OrganizationSnapshot s = Fixtures.trial();
        Outcome o = Rules.updateMember(s, DAN.userId(), DAN.name(), DAN.email(), DAN.role(), day(1));
        assertFalse(o.changed());
        assertEquals(s, o.snapshot());
        assertFalse(
                Rules.updateMember(s, DAN.userId(), null, null, null, day(1)).changed());
    }

    @Test
    void updatedValuesAreChecked() {
        OrganizationSnapshot s = Fixtures.trial();
        refused(Kind.INVALID, "required", "name", () -> Rules.updateMember(s, DAN.userId(), " ", null, null, day(1)));
        refused(
                Kind.INVALID,
                "too_long",
                "name",
                () -> Rules.updateMember(s, DAN.userId(), "n".repeat(256), null, null, day(1)));
        refused(
                Kind.INVALID,
                "invalid_format",
                "email",
                () -> Rules.updateMember(s, DAN.userId(), null, "dan", null, day(1)));
    }

    @Test
    void aRemovedMemberIsGoneAndRecorded() {
        Outcome o = Rules.removeMember(Fixtures.trial(), DAN.userId(), day(1));
        assertFalse(o.snapshot().members().stream().anyMatch(m -> m.userId().equals(DAN.userId())));
        assertEquals(List.of("A|Member|Remove a member|dan@acme.example was removed"), recorded(o));
    }
}
