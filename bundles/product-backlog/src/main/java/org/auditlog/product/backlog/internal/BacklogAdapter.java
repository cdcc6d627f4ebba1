package org.auditlog.product.backlog.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.auditlog.api.adapter.Actions;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.adapter.IngestContext;
import org.auditlog.api.adapter.NativePayload;
import org.auditlog.api.adapter.PayloadFields;
import org.auditlog.api.adapter.PayloadRejectedException;
import org.auditlog.api.adapter.ProductAdapter;
import org.auditlog.api.adapter.ProductAdapterService;
import org.auditlog.api.adapter.ProductCatalog;
import org.osgi.service.component.annotations.Component;

/**
 * The Backlog adapter: turns the body of a Backlog webhook into audit records.
 *
 * <p>It accepts the body exactly as Backlog sends it: one "recent update" activity
 * {@code {id, project{id, projectKey, name}, type, content{...}, notifications, createdUser{id, userId, name,
 * nulabAccount{nulabId}, mailAddress}, created}}. Required: {@code type} (an integer),
 * {@code project.projectKey}, {@code created} (ISO-8601 with an offset), {@code createdUser.name}, and for the
 * known types the {@code content} fields that name the item (an issue's {@code key_id}, a wiki page's or a
 * milestone's {@code name}, a pull request's {@code number} and {@code repository.name}...). A missing or
 * wrong-typed one is refused with its dotted path, e.g. {@code content.key_id}.
 *
 * <p>Each record has the date {@code created} and the operation user {@code createdUser}: id
 * {@code nulabAccount.nulabId}, else {@code userId}, else the numeric {@code id}; name {@code name}; email
 * {@code mailAddress}. Category and event follow {@code type} ({@link Activity}); the action names the item and
 * the project, e.g. {@code SUB-121 was updated in SUB}. A bulk update (type 14) gives one record per linked
 * issue. Any other type N (newer or unknown) still gives one record: category {@value #OTHER}, event
 * {@code Activity type N}, action {@code Activity type N in SUB}.
 *
 * <p>Never copied into a record: descriptions, comment texts, wiki contents and diffs, commit messages. The
 * payload names no organization (the ingest token does) and carries no IP address or user agent (the server
 * takes them from the headers Backlog forwards), so those fields are left empty here.
 */
@Component
@ProductAdapterService(product = BacklogAdapter.PRODUCT)
public class BacklogAdapter implements ProductAdapter {
    static final String PRODUCT = "Backlog";
    /** Category of activity types this adapter does not know. */
    static final String OTHER = "Other";

    /** Longest single name (title, file path, repository, ref, project key) kept in an action. */
    private static final int MAX_NAME = 200;
    /** Longest list of user or group names kept in an action. */
    private static final int MAX_NAMES = 600;

    /** The Backlog activity types this adapter maps, with the category and event each gives. */
    enum Activity {
        ISSUE_CREATED(1, "Issue", "Add an issue"),
        ISSUE_UPDATED(2, "Issue", "Update an issue"),
        ISSUE_COMMENTED(3, "Issue", "Comment on an issue"),
        ISSUE_DELETED(4, "Issue", "Delete an issue"),
        ISSUES_BULK_UPDATED(14, "Issue", "Update issues in bulk"),
        COMMENT_NOTIFICATION_ADDED(17, "Issue", "Add a comment notification"),
        WIKI_CREATED(5, "Wiki", "Add a wiki page"),
        WIKI_UPDATED(6, "Wiki", "Update a wiki page"),
        WIKI_DELETED(7, "Wiki", "Delete a wiki page"),
        FILE_ADDED(8, "File", "Add a file"),
        FILE_UPDATED(9, "File", "Update a file"),
        FILE_DELETED(10, "File", "Delete a file"),
        SVN_COMMITTED(11, "Subversion", "Commit to Subversion"),
        GIT_PUSHED(12, "Git", "Push to a Git repository"),
        GIT_REPOSITORY_CREATED(13, "Git", "Add a Git repository"),
        PROJECT_USER_ADDED(15, "Project", "Add a user to the project"),
        PROJECT_USER_REMOVED(16, "Project", "Remove a user from the project"),
        PROJECT_GROUP_ADDED(25, "Project", "Add a group to the project"),
        PROJECT_GROUP_REMOVED(26, "Project", "Remove a group from the project"),
        PULL_REQUEST_ADDED(18, "Pull Request", "Add a pull request"),
        PULL_REQUEST_UPDATED(19, "Pull Request", "Update a pull request"),
        PULL_REQUEST_COMMENTED(20, "Pull Request", "Comment on a pull request"),
        PULL_REQUEST_MERGED(21, "Pull Request", "Merge a pull request"),
        MILESTONE_CREATED(22, "Milestone", "Add a milestone"),
        MILESTONE_UPDATED(23, "Milestone", "Update a milestone"),
        MILESTONE_DELETED(24, "Milestone", "Delete a milestone");

        final int type;
        final String category;
        final String event;

        Activity(int type, String category, String event) {
            this.type = type;
            this.category = category;
            this.event = event;
        }

        /** The activity of a Backlog type number, or {@code null} when this adapter does not map it. */
        static Activity of(long type) {
            for (Activity a : values()) {
                if (a.type == type) {
                    return a;
                }
            }
            return null;
        }
    }

    private static final ProductCatalog CATALOG = catalogOf(Activity.values());

    @Override
    public String product() {
        return PRODUCT;
    }

    @Override
    public ProductCatalog catalog() {
        return CATALOG;
    }

    @Override
    public List<AuditRecord> translate(NativePayload payload, IngestContext context) throws PayloadRejectedException {
        PayloadFields activity = PayloadFields.of(payload.json());
        long type = activity.integer("type");
        String project = shorten(activity.object("project").string("projectKey"), MAX_NAME);
        Instant date = activity.date("created");
        PayloadFields user = activity.object("createdUser");
        String userName = user.string("name");
        String userId = operationUserId(user);
        String email = user.optString("mailAddress");

        Activity known = Activity.of(type);
        String category;
        String event;
        List<String> actions;
        if (known == null) {
            category = OTHER;
            event = "Activity type " + type;
            actions = List.of(event + " in " + project);
        } else {
            category = known.category;
            event = known.event;
            actions = actions(known, activity.object("content"), project);
        }
        List<AuditRecord> records = new ArrayList<>(actions.size());
        for (String action : actions) {
            records.add(new AuditRecord(
                    0, null, PRODUCT, date, category, event, action, userId, userName, email, null, null, null));
        }
        return records;
    }

    /** The actions of one activity: one per record, so several only for a bulk update. */
    private static List<String> actions(Activity activity, PayloadFields content, String project)
            throws PayloadRejectedException {
        return switch (activity) {
            case ISSUE_CREATED -> List.of(issueKey(content, project) + " was created in " + project);
            case ISSUE_UPDATED -> List.of(issueKey(content, project) + " was updated in " + project);
            case ISSUE_COMMENTED -> List.of(issueKey(content, project) + " was commented on in " + project);
            case ISSUE_DELETED -> List.of(issueKey(content, project) + " was deleted from " + project);
            case ISSUES_BULK_UPDATED -> bulkUpdated(content, project);
            case COMMENT_NOTIFICATION_ADDED ->
                List.of("A comment notification was added to " + issueKey(content, project) + " in " + project);
            case WIKI_CREATED -> List.of(wikiPage(content) + " was created in " + project);
            case WIKI_UPDATED -> List.of(wikiPage(content) + " was updated in " + project);
            case WIKI_DELETED -> List.of(wikiPage(content) + " was deleted from " + project);
            case FILE_ADDED -> List.of(file(content) + " was added to " + project);
            case FILE_UPDATED -> List.of(file(content) + " was updated in " + project);
            case FILE_DELETED -> List.of(file(content) + " was deleted from " + project);
            case SVN_COMMITTED -> List.of("Revision r" + svnRevision(content) + " was committed to " + project);
            case GIT_PUSHED -> List.of(gitPush(content, project));
            case GIT_REPOSITORY_CREATED ->
                List.of("Git repository \"" + repository(content) + "\" was created in " + project);
            case PROJECT_USER_ADDED -> List.of(users(content).joined(project));
            case PROJECT_USER_REMOVED -> List.of(users(content).removedFrom(project));
            case PROJECT_GROUP_ADDED -> List.of(groups(content).addedTo(project));
            case PROJECT_GROUP_REMOVED -> List.of(groups(content).removedFrom(project));
            case PULL_REQUEST_ADDED -> List.of(pullRequest(content, "was created", project));
            case PULL_REQUEST_UPDATED -> List.of(pullRequest(content, "was updated", project));
            case PULL_REQUEST_COMMENTED -> List.of(pullRequest(content, "was commented on", project));
            case PULL_REQUEST_MERGED -> List.of(pullRequest(content, "was merged", project));
            case MILESTONE_CREATED -> List.of(milestone(content) + " was created in " + project);
            case MILESTONE_UPDATED -> List.of(milestone(content) + " was updated in " + project);
            case MILESTONE_DELETED -> List.of(milestone(content) + " was deleted from " + project);
        };
    }

    // --- the items an action names --------------------------------------------------------------------

    /** {@code SUB-121}: the project key and the issue's number in the project. */
    private static String issueKey(PayloadFields issue, String project) throws PayloadRejectedException {
        return project + "-" + issue.integer("key_id");
    }

    /** One action per linked issue; {@code content.link} must list at least one. */
    private static List<String> bulkUpdated(PayloadFields content, String project) throws PayloadRejectedException {
        List<PayloadFields> links = content.objectsOrNone("link");
        if (links.isEmpty()) {
            throw new PayloadRejectedException(content.at("link"), "must list at least one issue");
        }
        List<String> actions = new ArrayList<>(links.size());
        for (PayloadFields link : links) {
            actions.add(issueKey(link, project) + " was updated in " + project);
        }
        return actions;
    }

    private static String wikiPage(PayloadFields content) throws PayloadRejectedException {
        return "Wiki page \"" + shorten(content.string("name"), MAX_NAME) + "\"";
    }

    /** {@code File "/docs/spec.pdf"}: the shared file's folder ({@code dir}, optional) and name. */
    private static String file(PayloadFields content) throws PayloadRejectedException {
        String dir = content.optString("dir");
        String name = content.string("name");
        return "File \"" + shorten((dir == null ? "" : dir) + name, MAX_NAME) + "\"";
    }

    /** A Subversion revision number, sent as a number or a string. */
    private static String svnRevision(PayloadFields content) throws PayloadRejectedException {
        Object rev = content.raw("rev");
        if (rev instanceof String text && !text.isBlank()) {
            return shorten(text.strip(), MAX_NAME);
        }
        return Long.toString(content.integer("rev"));
    }

    /** {@code 3 revisions were pushed to app (refs/heads/master) in SUB}. */
    private static String gitPush(PayloadFields content, String project) throws PayloadRejectedException {
        long count = !content.has("revision_count") && content.raw("revisions") instanceof List<?> revisions
                ? revisions.size()
                : content.integer("revision_count");
        String ref = shorten(content.string("ref"), MAX_NAME);
        return count + (count == 1 ? " revision was" : " revisions were") + " pushed to " + repository(content) + " ("
                + ref + ") in " + project;
    }

    private static String repository(PayloadFields content) throws PayloadRejectedException {
        return shorten(content.object("repository").string("name"), MAX_NAME);
    }

    /** The names of the users or groups an activity lists, as an action shows them. */
    private record Names(String text, int count) {
        String joined(String project) {
            return text + " joined " + project;
        }

        String addedTo(String project) {
            return text + (count == 1 ? " was added to " : " were added to ") + project;
        }

        String removedFrom(String project) {
            return text + (count == 1 ? " was removed from " : " were removed from ") + project;
        }
    }

    /** The users of {@code content.users}: {@code Ann, Bob}. */
    private static Names users(PayloadFields content) throws PayloadRejectedException {
        List<String> names = names(content, "users", "user");
        return new Names(shorten(String.join(", ", names), MAX_NAMES), names.size());
    }

    /** The groups of {@code content.parties}: {@code Group "Design"} or {@code Groups "Design", "QA"}. */
    private static Names groups(PayloadFields content) throws PayloadRejectedException {
        List<String> names = names(content, "parties", "group");
        List<String> quoted = names.stream().map(name -> "\"" + name + "\"").toList();
        String prefix = names.size() == 1 ? "Group " : "Groups ";
        return new Names(prefix + shorten(String.join(", ", quoted), MAX_NAMES), names.size());
    }

    /** The {@code name} of every entry of a non-empty {@code content.<field>} array. */
    private static List<String> names(PayloadFields content, String field, String what)
            throws PayloadRejectedException {
        List<PayloadFields> entries = content.objectsOrNone(field);
        if (entries.isEmpty()) {
            throw new PayloadRejectedException(content.at(field), "must list at least one " + what);
        }
        List<String> names = new ArrayList<>(entries.size());
        for (PayloadFields entry : entries) {
            names.add(shorten(entry.string("name"), MAX_NAME));
        }
        return names;
    }

    /** {@code Pull request #112 was merged in app in SUB}. */
    private static String pullRequest(PayloadFields content, String what, String project)
            throws PayloadRejectedException {
        return "Pull request #" + content.integer("number") + " " + what + " in " + repository(content) + " in "
                + project;
    }

    private static String milestone(PayloadFields content) throws PayloadRejectedException {
        return "Milestone \"" + shorten(content.string("name"), MAX_NAME) + "\"";
    }

    /** The acting user's id: the Nulab account id, else the Backlog login id, else the numeric user id. */
    private static String operationUserId(PayloadFields user) throws PayloadRejectedException {
        PayloadFields account = user.optObject("nulabAccount");
        String nulabId = account == null ? null : account.optString("nulabId");
        if (nulabId != null) {
            return nulabId;
        }
        String userId = user.optString("userId");
        if (userId != null) {
            return userId;
        }
        return user.has("id") ? Long.toString(user.integer("id")) : null;
    }

    /** The text cut to {@code max} characters, ending with an ellipsis when cut. */
    static String shorten(String text, int max) {
        return Actions.shorten(text, max);
    }

    private static ProductCatalog catalogOf(Activity[] activities) {
        Map<String, List<String>> events = new LinkedHashMap<>();
        for (Activity a : activities) {
            events.computeIfAbsent(a.category, c -> new ArrayList<>()).add(a.event);
        }
        events.replaceAll((category, names) -> List.copyOf(names));
        return new ProductCatalog(events);
    }
}
