package org.auditlog.rest.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.auditlog.api.stream.Delivery;
import org.auditlog.api.stream.SettingsRefusedException;
import org.auditlog.api.stream.StreamConflictException;
import org.auditlog.api.stream.StreamRequest;
import org.auditlog.api.stream.StreamService;
import org.auditlog.api.stream.StreamView;

/**
 * The streams bundle as the REST bundle sees it: streams in a map, ids {@code st-1}, {@code st-2}, ... in the order
 * they are made. One destination type, {@code webhook}: {@code url} (required, {@code https://}) is a setting,
 * {@code secret} a secret. Products are Apps and Backlog. A refusal names the member as the streams bundle does;
 * every call is noted in {@link #calls}, and a stream's view never carries a secret's value, as the real one.
 */
final class FakeStreams implements StreamService {
    /** The first instant retention keeps: a replay from before it is refused. */
    static final Instant KEPT_FROM = Instant.parse("2025-11-20T00:00:00Z");

    private record Stream(
            String id,
            String spaceKey,
            StreamRequest request,
            Map<String, String> secrets,
            String state,
            String pausedBy,
            Instant created) {}

    final Map<String, Stream> streams = new LinkedHashMap<>();
    final List<String> calls = new ArrayList<>();
    /** What a test delivery answers. */
    Delivery testAnswer = Delivery.accepted();
    /** Thrown by the next delete instead of deleting, when set. */
    RuntimeException deleteFailure;

    @Override
    public Set<String> types() {
        return Set.of("webhook");
    }

    @Override
    public StreamView create(String spaceKey, StreamRequest request) throws SettingsRefusedException {
        calls.add("create " + spaceKey + " " + request.name());
        Map<String, String> secrets = check(spaceKey, null, request);
        String id = "st-" + (streams.size() + 1);
        Stream s = new Stream(id, spaceKey, request, secrets, "active", null, Fixtures.NOW);
        streams.put(id, s);
        return view(s);
    }

    private Map<String, String> check(String spaceKey, Stream stored, StreamRequest r) throws SettingsRefusedException {
        if (r.name().length() > 100) {
            throw new SettingsRefusedException("name", "must be 1 to 100 characters");
        }
        for (Stream s : streams.values()) {
            if (Objects.equals(s.spaceKey(), spaceKey)
                    && s != stored
                    && s.request().name().equals(r.name())) {
                throw new StreamConflictException(r.name());
            }
        }
        if (!"webhook".equals(r.destination().get("type"))) {
            throw new SettingsRefusedException("destination.type", "must be one of webhook");
        }
        if (!(r.destination().get("url") instanceof String url) || !url.startsWith("https://")) {
            throw new SettingsRefusedException("destination.url", "must be an https:// URL");
        }
        for (int i = 0; i < r.products().size(); i++) {
            if (!List.of("Apps", "Backlog").contains(r.products().get(i))) {
                throw new SettingsRefusedException("products[" + i + "]", "must be one of Apps, Backlog");
            }
        }
        Object secret = r.destination().get("secret");
        if (secret != null) {
            return Map.of("secret", secret.toString());
        }
        return stored == null ? Map.of() : stored.secrets();
    }

    private StreamView view(Stream s) {
        Map<String, String> settings = new LinkedHashMap<>();
        s.request().destination().forEach((k, v) -> {
            if (!k.equals("type") && !k.equals("secret")) {
                settings.put(k, String.valueOf(v));
            }
        });
        String org = s.spaceKey() == null ? "ACME" : s.spaceKey();
        List<StreamView.LogPlace> logs = List.of(
                new StreamView.LogPlace(org, "Apps", 41, 0, 120, Fixtures.NOW, null, null, null, null, -1, -1),
                new StreamView.LogPlace(
                        org,
                        "Backlog",
                        -1,
                        7,
                        -1,
                        null,
                        Fixtures.NOW,
                        "auth",
                        "401 Unauthorized from siem.example",
                        Fixtures.CREATED,
                        0,
                        11));
        return new StreamView(
                s.id(),
                s.spaceKey(),
                s.request().name(),
                (String) s.request().destination().get("type"),
                settings,
                s.secrets().keySet(),
                s.request().products(),
                s.request().categories(),
                s.state(),
                s.pausedBy(),
                s.created(),
                Fixtures.NOW,
                logs);
    }

    private Optional<Stream> stream(String spaceKey, String id) {
        return Optional.ofNullable(streams.get(id)).filter(s -> Objects.equals(s.spaceKey(), spaceKey));
    }

    private Stream with(Stream s, String state, String pausedBy) {
        Stream changed = new Stream(s.id(), s.spaceKey(), s.request(), s.secrets(), state, pausedBy, s.created());
        streams.put(s.id(), changed);
        return changed;
    }

    @Override
    public List<StreamView> list(String spaceKey) {
        calls.add("list " + spaceKey);
        return streams.values().stream()
                .filter(s -> Objects.equals(s.spaceKey(), spaceKey))
                .sorted(Comparator.comparing(s -> s.request().name()))
                .map(this::view)
                .toList();
    }

    @Override
    public Optional<StreamView> find(String spaceKey, String id) {
        calls.add("find " + spaceKey + " " + id);
        return stream(spaceKey, id).map(this::view);
    }

    @Override
    public Optional<StreamView> update(String spaceKey, String id, StreamRequest request)
            throws SettingsRefusedException {
        calls.add("update " + spaceKey + " " + id);
        Optional<Stream> found = stream(spaceKey, id);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Stream s = found.get();
        Map<String, String> secrets = check(spaceKey, s, request);
        Stream changed = new Stream(id, spaceKey, request, secrets, s.state(), s.pausedBy(), s.created());
        streams.put(id, changed);
        return Optional.of(view(changed));
    }

    @Override
    public boolean delete(String spaceKey, String id) {
        calls.add("delete " + spaceKey + " " + id);
        if (deleteFailure != null) {
            throw deleteFailure;
        }
        return stream(spaceKey, id).map(s -> streams.remove(id) != null).orElse(false);
    }

    @Override
    public Optional<StreamView> pause(String spaceKey, String id, String by) {
        calls.add("pause " + spaceKey + " " + id + " " + by);
        return stream(spaceKey, id).map(s -> view(with(s, "paused", by)));
    }

    @Override
    public Optional<StreamView> resume(String spaceKey, String id) {
        calls.add("resume " + spaceKey + " " + id);
        return stream(spaceKey, id).map(s -> view(with(s, "active", null)));
    }

    @Override
    public Optional<Delivery> test(String spaceKey, String id) {
        calls.add("test " + spaceKey + " " + id);
        return stream(spaceKey, id).map(s -> testAnswer);
    }

    @Override
    public Optional<StreamView> replay(String spaceKey, String id, Instant from, Map<String, Long> sequences)
            throws SettingsRefusedException {
        calls.add("replay " + spaceKey + " " + id + " " + (from != null ? from : sequences));
        Optional<Stream> found = stream(spaceKey, id);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        if (from != null && from.isBefore(KEPT_FROM)) {
            throw new SettingsRefusedException("from", "is before the oldest event kept, " + KEPT_FROM);
        }
        if (sequences != null) {
            for (String product : sequences.keySet()) {
                if (!List.of("Apps", "Backlog").contains(product)) {
                    throw new SettingsRefusedException("sequences." + product, "is not a product of this stream");
                }
            }
        }
        return Optional.of(view(found.get()));
    }
}
