package io.jenkins.plugins.kedroemrs.core.emrs;

import io.jenkins.plugins.kedroemrs.core.aws.AwsErrors;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The end of a job run's Spark driver stderr, from the logs EMR Serverless writes to S3
 * ({@code <logUri>/applications/<app>/jobs/<job>/SPARK_DRIVER/stderr.gz}; retried runs keep one per attempt below the
 * job's prefix, and the newest is taken). Bounded: the tail is kept while streaming, so memory stays small whatever
 * the log's size, and objects above {@link #MAX_OBJECT_BYTES} are not read at all.
 */
public final class DriverLogs {
    public static final int DEFAULT_LINES = 60;
    public static final int MAX_LINE_CHARS = 1000;
    static final long MAX_OBJECT_BYTES = 256L * 1024 * 1024;

    private DriverLogs() {
    }

    /**
     * The last lines of the driver's stderr.
     *
     * @param location where it was read
     * @param lines    its last lines (each cut at {@link #MAX_LINE_CHARS})
     * @param skipped  how many earlier lines were left out
     */
    public record Tail(S3Location location, List<String> lines, long skipped) {
    }

    /** The tail, or empty when the log is not in S3 (yet: the service uploads logs shortly after the run ends). */
    public static Optional<Tail> tail(S3Client s3, S3Location logUri, String applicationId, String jobRunId, int maxLines)
            throws IOException {
        Optional<S3Location> found = locate(s3, logUri, applicationId, jobRunId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        S3Location at = found.get();
        long size = s3.headObject(h -> h.bucket(at.bucket()).key(at.key())).contentLength();
        if (size > MAX_OBJECT_BYTES) {
            return Optional.of(new Tail(at, List.of("(" + size + " bytes compressed: too big to read here; download it from "
                    + at + ")"), 0));
        }
        Deque<String> lines = new ArrayDeque<>();
        long total = 0;
        try (InputStream raw = new BufferedInputStream(s3.getObject(g -> g.bucket(at.bucket()).key(at.key())));
                BufferedReader reader = new BufferedReader(new InputStreamReader(gunzipIfNeeded(raw), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                total++;
                lines.addLast(line.length() > MAX_LINE_CHARS ? line.substring(0, MAX_LINE_CHARS) + "…" : line);
                if (lines.size() > maxLines) {
                    lines.removeFirst();
                }
            }
        }
        return Optional.of(new Tail(at, List.copyOf(lines), total - lines.size()));
    }

    private static Optional<S3Location> locate(S3Client s3, S3Location logUri, String applicationId, String jobRunId) {
        S3Location usual = JobRunLinks.driverStderr(logUri, applicationId, jobRunId);
        try {
            s3.headObject(h -> h.bucket(usual.bucket()).key(usual.key()));
            return Optional.of(usual);
        } catch (SdkException e) {
            if (!AwsErrors.isNotFound(e)) {
                throw e;
            }
        }
        S3Location prefix = JobRunLinks.s3LogPrefix(logUri, applicationId, jobRunId);
        return s3.listObjectsV2Paginator(l -> l.bucket(prefix.bucket()).prefix(prefix.key())).contents().stream()
                .filter(o -> o.key().endsWith("/SPARK_DRIVER/stderr.gz"))
                .max(Comparator.comparing(S3Object::lastModified).thenComparing(S3Object::key))
                .map(o -> new S3Location(prefix.bucket(), o.key()));
    }

    private static InputStream gunzipIfNeeded(InputStream in) throws IOException {
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        return b1 == 0x1f && b2 == 0x8b ? new GZIPInputStream(in, 64 * 1024) : in;
    }
}
