package org.auditlog.rest.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/** Jetty's own error answers in the JSON error body, whatever the request accepts and whatever its method. */
final class JsonErrorHandler extends ErrorHandler {
    static final String JSON = "application/json;charset=utf-8";

    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(
            Request request, Response response, int code, String message, Throwable cause, Callback callback) {
        byte[] body = body(code, message);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /** The answer to a request Jetty could not parse (no request exists yet to hand to a handler). */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, JSON);
        return ByteBuffer.wrap(body(status, reason));
    }

    static byte[] body(int code, String message) {
        int status = code < 400 ? 500 : code;
        // Jetty's reasons for a bad message name the fault ("Illegal character", "Request header too large"); a
        // message from a failure inside the server may say more than a client should read
        boolean telling = message != null
                && !message.isBlank()
                && status < 500
                && !message.equalsIgnoreCase(HttpStatus.getMessage(status));
        String detail = telling ? HttpErrors.detail(status) + ": " + message : HttpErrors.detail(status);
        try {
            return Json.MAPPER.writeValueAsBytes(new ErrorBody(HttpErrors.code(status), null, detail));
        } catch (JsonProcessingException e) {
            return ("{\"error\":\"" + HttpErrors.code(status) + "\",\"field\":null,\"detail\":null}")
                    .getBytes(StandardCharsets.UTF_8);
        }
    }
}
