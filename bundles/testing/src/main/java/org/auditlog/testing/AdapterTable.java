package org.auditlog.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.adapter.IngestContext;
import org.auditlog.api.adapter.NativePayload;
import org.auditlog.api.adapter.PayloadRejectedException;
import org.auditlog.api.adapter.ProductAdapter;

/**
 * What the four product adapters' tests share: their native examples (JSON resources of one folder), the
 * translation of an event as the capture service asks it (one JSON event, in a request context), and the
 * checks of a table row ({@link AdapterCase}) and of a refusal.
 */
public final class AdapterTable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ProductAdapter adapter;
    private final String folder;
    private final String extension;
    private final IngestContext context;

    /**
     * @param adapter the adapter under test
     * @param folder the resource folder of its examples, e.g. {@code /backlog/}
     * @param extension the examples' file ending, e.g. {@code .json}
     * @param context the request every event arrives in
     */
    public AdapterTable(ProductAdapter adapter, String folder, String extension, IngestContext context) {
        this.adapter = adapter;
        this.folder = folder;
        this.extension = extension;
        this.context = context;
    }

    /** A fresh copy of the example {@code name}, which a test may change. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> example(String name) {
        String path = folder + name + extension;
        try (InputStream in = AdapterTable.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no example " + path);
            }
            return (Map<String, Object>) JSON.readValue(in, Object.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The example of a row, changed as the row says. */
    public Map<String, Object> input(AdapterCase row) {
        Map<String, Object> json = example(row.example());
        row.change().accept(json);
        return json;
    }

    /** The records of one native event, each checked to be of the adapter's product. */
    public List<AuditRecord> translate(Object json) throws PayloadRejectedException {
        List<AuditRecord> out =
                adapter.translate(new NativePayload("application/json", json, NativePayload.SINGLE), context);
        for (AuditRecord r : out) {
            assertEquals(adapter.product(), r.product());
        }
        return out;
    }

    /** The one record of a native event. */
    public AuditRecord single(Object json) throws PayloadRejectedException {
        List<AuditRecord> out = translate(json);
        assertEquals(1, out.size(), "records: " + out);
        return out.get(0);
    }

    /** Checks that a row's event becomes its records, and returns them for the adapter's own checks. */
    public List<AuditRecord> assertRow(AdapterCase row) throws PayloadRejectedException {
        List<AuditRecord> out = translate(input(row));
        assertEquals(row.records().size(), out.size(), row.name() + ": " + out);
        for (int i = 0; i < out.size(); i++) {
            row.records().get(i).assertMatches(out.get(i), row.name());
        }
        return out;
    }

    /** Checks that the adapter refuses a row's event, naming the row's field; returns the refusal. */
    public PayloadRejectedException assertRefused(AdapterRefusal row) {
        return assertRejected(row.field(), row.input().apply(this));
    }

    /** Checks that the adapter refuses {@code json}, naming {@code field}; returns the refusal. */
    public PayloadRejectedException assertRejected(String field, Object json) {
        PayloadRejectedException e = assertThrows(
                PayloadRejectedException.class,
                () -> adapter.translate(new NativePayload("application/json", json, NativePayload.SINGLE), context));
        assertEquals(field, e.field(), e.getMessage());
        return e;
    }
}
