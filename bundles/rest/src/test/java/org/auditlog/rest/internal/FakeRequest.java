package org.auditlog.rest.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.core.Cookie;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.MultivaluedHashMap;
import javax.ws.rs.core.MultivaluedMap;
import javax.ws.rs.core.PathSegment;
import javax.ws.rs.core.Request;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import javax.ws.rs.core.UriBuilder;
import javax.ws.rs.core.UriInfo;

/**
 * A JAX-RS request as the filters and resources read it: method, path below {@code /api}, headers (names
 * case-insensitive), cookies, properties and a body whose reading and closing are noted. What the code under
 * test never asks for throws.
 */
final class FakeRequest implements ContainerRequestContext {
    private String method;
    private final String path;
    private final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final Map<String, Cookie> cookies = new LinkedHashMap<>();
    private final Map<String, Object> properties = new HashMap<>();
    /** The values of the path's template parameters, as Jersey would have matched them. */
    final Map<String, String> pathParameters = new HashMap<>();

    private InputStream entity = new ByteArrayInputStream(new byte[0]);
    /** Bytes of the body read so far, and whether it was closed. */
    int bodyRead;

    boolean bodyClosed;

    FakeRequest(String method, String path) {
        this.method = method;
        this.path = path;
    }

    static FakeRequest get(String path) {
        return new FakeRequest("GET", path);
    }

    static FakeRequest post(String path) {
        return new FakeRequest("POST", path);
    }

    FakeRequest header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    FakeRequest cookie(String name, String value) {
        cookies.put(name, new Cookie(name, value));
        return this;
    }

    FakeRequest caller(Caller caller) {
        properties.put(Caller.PROPERTY, caller);
        return this;
    }

    FakeRequest body(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        entity = new InputStream() {
            private final ByteArrayInputStream in = new ByteArrayInputStream(bytes);

            @Override
            public int read() {
                int b = in.read();
                if (b >= 0) {
                    bodyRead++;
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                int n = in.read(b, off, len);
                if (n > 0) {
                    bodyRead += n;
                }
                return n;
            }

            @Override
            public void close() throws IOException {
                bodyClosed = true;
            }
        };
        return this;
    }

    Caller caller() {
        return (Caller) properties.get(Caller.PROPERTY);
    }

    @Override
    public Object getProperty(String name) {
        return properties.get(name);
    }

    @Override
    public Collection<String> getPropertyNames() {
        return properties.keySet();
    }

    @Override
    public void setProperty(String name, Object object) {
        properties.put(name, object);
    }

    @Override
    public void removeProperty(String name) {
        properties.remove(name);
    }

    @Override
    public UriInfo getUriInfo() {
        return new Uri();
    }

    @Override
    public String getMethod() {
        return method;
    }

    @Override
    public void setMethod(String method) {
        this.method = method;
    }

    @Override
    public MultivaluedMap<String, String> getHeaders() {
        MultivaluedMap<String, String> m = new MultivaluedHashMap<>();
        headers.forEach(m::add);
        return m;
    }

    @Override
    public String getHeaderString(String name) {
        return headers.get(name);
    }

    @Override
    public Map<String, Cookie> getCookies() {
        return cookies;
    }

    @Override
    public boolean hasEntity() {
        return true;
    }

    @Override
    public InputStream getEntityStream() {
        return entity;
    }

    @Override
    public void setEntityStream(InputStream input) {
        entity = input;
    }

    @Override
    public void setRequestUri(URI requestUri) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void setRequestUri(URI baseUri, URI requestUri) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Request getRequest() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Date getDate() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Locale getLanguage() {
        throw new UnsupportedOperationException();
    }

    @Override
    public int getLength() {
        throw new UnsupportedOperationException();
    }

    @Override
    public MediaType getMediaType() {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<MediaType> getAcceptableMediaTypes() {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<Locale> getAcceptableLanguages() {
        throw new UnsupportedOperationException();
    }

    @Override
    public SecurityContext getSecurityContext() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void setSecurityContext(SecurityContext context) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void abortWith(Response response) {
        throw new UnsupportedOperationException();
    }

    /** The path below the application, as segments (a trailing slash makes an empty last one, as in Jersey). */
    private final class Uri implements UriInfo {
        @Override
        public List<PathSegment> getPathSegments() {
            List<PathSegment> segments = new ArrayList<>();
            for (String s : path.split("/", -1)) {
                segments.add(new PathSegment() {
                    @Override
                    public String getPath() {
                        return s;
                    }

                    @Override
                    public MultivaluedMap<String, String> getMatrixParameters() {
                        return new MultivaluedHashMap<>();
                    }
                });
            }
            return segments;
        }

        @Override
        public List<PathSegment> getPathSegments(boolean decode) {
            return getPathSegments();
        }

        @Override
        public String getPath() {
            return path;
        }

        @Override
        public String getPath(boolean decode) {
            return path;
        }

        @Override
        public URI getRequestUri() {
            throw new UnsupportedOperationException();
        }

        @Override
        public UriBuilder getRequestUriBuilder() {
            throw new UnsupportedOperationException();
        }

        @Override
        public URI getAbsolutePath() {
            throw new UnsupportedOperationException();
        }

        @Override
        public UriBuilder getAbsolutePathBuilder() {
            throw new UnsupportedOperationException();
        }

        @Override
        public URI getBaseUri() {
            throw new UnsupportedOperationException();
        }

        @Override
        public UriBuilder getBaseUriBuilder() {
            throw new UnsupportedOperationException();
        }

        @Override
        public MultivaluedMap<String, String> getPathParameters() {
            MultivaluedMap<String, String> m = new javax.ws.rs.core.MultivaluedHashMap<>();
            pathParameters.forEach(m::putSingle);
            return m;
        }

        @Override
        public MultivaluedMap<String, String> getPathParameters(boolean decode) {
            return getPathParameters();
        }

        @Override
        public MultivaluedMap<String, String> getQueryParameters() {
            throw new UnsupportedOperationException();
        }

        @Override
        public MultivaluedMap<String, String> getQueryParameters(boolean decode) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<String> getMatchedURIs() {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<String> getMatchedURIs(boolean decode) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Object> getMatchedResources() {
            throw new UnsupportedOperationException();
        }

        @Override
        public URI resolve(URI uri) {
            throw new UnsupportedOperationException();
        }

        @Override
        public URI relativize(URI uri) {
            throw new UnsupportedOperationException();
        }
    }
}
