package org.auditlog.export.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the export bundle, PID {@value ZipExportService#PID}. */
@ObjectClassDefinition(name = "Auditlog export", description = "Export jobs, download links and the monthly mailing.")
public @interface ExportConfig {
    @AttributeDefinition(
            name = "Base URL",
            description = "Public base URL of the server, used in mailed links, e.g. "
                    + "https://auditlog.example.com. Empty: http://localhost:<HTTP port>.")
    String baseUrl() default "";

    @AttributeDefinition(
            name = "Settings path",
            description = "Path of the audit log settings page below the base URL; {spaceKey} is "
                    + "replaced by the organization's space key.")
    String settingsPath() default "/orgs/{spaceKey}/settings/audit-log";

    @AttributeDefinition(
            name = "Export folder",
            description = "Folder of the export files. Empty: <data>/exports. Servers sharing one "
                    + "database need one folder they all read and write (a shared file system): a file built by one server "
                    + "is downloaded through any (docs/cluster.md).")
    String folder() default "";

    @AttributeDefinition(
            name = "Export workers",
            description = "Export jobs written at the same time; further jobs wait their turn.",
            min = "1",
            max = "64")
    int workers() default 2;

    @AttributeDefinition(
            name = "Job claim (seconds)",
            description = "How long a server's claim on a running export job lasts unless renewed "
                    + "(every 2 s while it runs), in seconds: a job whose server was stopped or killed is taken up by another "
                    + "server this long after.",
            min = "5")
    int claimSeconds() default 60;

    @AttributeDefinition(
            name = "Keep jobs (days)",
            description = "Days a finished export job, its file and its download links are kept.",
            min = "2")
    int keepJobsDays() default 7;

    @AttributeDefinition(
            name = "Exports per member per day",
            description = "Current-month exports one member may ask for per organization and UTC day "
                    + "(each is a file kept keepJobsDays and a mail); the next is answered 429 exports_per_member_per_day "
                    + "until midnight UTC. Whatever this says, one export per organization and product is queued or running "
                    + "at a time (429 export_in_progress). See docs/exports.md.",
            min = "1")
    int exportsPerMemberPerDay() default 10;

    @AttributeDefinition(
            name = "Exports per organization per day",
            description = "Current-month exports one organization may ask for per UTC day, all its "
                    + "members together; the next is answered 429 exports_per_organization_per_day until midnight UTC.",
            min = "1",
            max = "10000")
    int exportsPerOrganizationPerDay() default 50;

    @AttributeDefinition(
            name = "Monthly mailing check (seconds)",
            description = "Seconds between two looks at the clock for the monthly mailing " + "(02:00 UTC on the 1st).",
            min = "1")
    int checkSeconds() default 60;

    @AttributeDefinition(
            name = "Evidence key file",
            description = "File of the key checkpoints and manifests are signed with (Ed25519, C2SP "
                    + "note format). Empty: <data>/evidence/checkpoint.key. Made at first start, readable by its owner only; "
                    + "servers sharing one database need the same key: name a file on the shared folder. See "
                    + "docs/evidence.md for rotation.")
    String evidenceKeyFile() default "";

    @AttributeDefinition(
            name = "Evidence key name",
            description = "Name of the signing key, in every checkpoint's origin line "
                    + "(<name>/<space key>/<product>) and signature: the server's host name, for example. Only letters, "
                    + "digits and . _ - (a key made before keeps its name).")
    String evidenceKeyName() default "auditlog";
}
