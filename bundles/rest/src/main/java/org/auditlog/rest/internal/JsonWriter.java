package org.auditlog.rest.internal;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.MultivaluedMap;
import javax.ws.rs.core.StreamingOutput;
import javax.ws.rs.ext.MessageBodyWriter;

/**
 * Writes response entities with Jackson. Written here instead of registering jersey-media-json-jackson:
 * that module drags in JAXB annotation support and entity filtering (three more bundles, one of which
 * brings a second JAXB API exporter), while the API only ever writes maps, lists and records.
 */
@Produces(MediaType.APPLICATION_JSON)
final class JsonWriter implements MessageBodyWriter<Object> {

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return type != String.class && !StreamingOutput.class.isAssignableFrom(type);
    }

    @Override
    public void writeTo(
            Object value,
            Class<?> type,
            Type genericType,
            Annotation[] annotations,
            MediaType mediaType,
            MultivaluedMap<String, Object> httpHeaders,
            OutputStream entityStream)
            throws IOException {
        Json.MAPPER.writeValue(
                new FilterOutputStream(entityStream) {
                    @Override
                    public void close() throws IOException {
                        flush(); // the container closes the stream itself
                    }
                },
                value);
    }
}
