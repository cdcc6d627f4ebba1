/** The {@code s3} stream destination: batches as self-verifying files in an S3-compatible bucket. */
package org.auditlog.stream.s3.internal;
