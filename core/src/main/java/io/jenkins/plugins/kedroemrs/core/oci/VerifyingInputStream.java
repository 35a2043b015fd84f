package io.jenkins.plugins.kedroemrs.core.oci;

import io.jenkins.plugins.kedroemrs.core.util.Hashing;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Passes a blob through while hashing it; at end of stream the SHA-256 and size must match the descriptor, else the read
 * fails with an {@link IOException} naming the blob. A stream closed before its end is simply not verified
 * ({@link #verified()} stays false): the reader stopped early and used only what it read.
 */
public final class VerifyingInputStream extends FilterInputStream {
    private final String expectedDigest;
    private final long expectedSize;
    private final String what;
    private final MessageDigest sha = Hashing.sha256();
    private long count;
    private boolean verified;

    /**
     * @param expectedDigest {@code sha256:<hex>}
     * @param expectedSize   the size in bytes, or -1 when unknown
     * @param what           names the blob in errors, e.g. {@code layer 3 of 127.0.0.1:5000/app:1}
     */
    public VerifyingInputStream(InputStream in, String expectedDigest, long expectedSize, String what) {
        super(in);
        this.expectedDigest = expectedDigest;
        this.expectedSize = expectedSize;
        this.what = what;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b < 0) {
            finish();
        } else {
            sha.update((byte) b);
            count++;
        }
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        if (n < 0) {
            finish();
        } else {
            sha.update(buf, off, n);
            count += n;
            if (expectedSize >= 0 && count > expectedSize) {
                throw new IOException(what + " is larger than the " + expectedSize + " bytes its descriptor says");
            }
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buf = new byte[(int) Math.min(8192, Math.max(n, 1))];
        long left = n;
        while (left > 0) {
            int r = read(buf, 0, (int) Math.min(buf.length, left));
            if (r < 0) {
                break;
            }
            left -= r;
        }
        return n - left;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void finish() throws IOException {
        if (verified) {
            return;
        }
        String actual = "sha256:" + HexFormat.of().formatHex(sha.digest());
        if (expectedSize >= 0 && count != expectedSize) {
            throw new IOException(what + " has " + count + " bytes, but its descriptor says " + expectedSize);
        }
        if (!actual.equals(expectedDigest)) {
            throw new IOException(what + " does not match its digest: expected " + expectedDigest + ", got " + actual);
        }
        verified = true;
    }

    /** Whether the whole blob was read and matched its digest. */
    public boolean verified() {
        return verified;
    }

    /** Bytes read so far. */
    public long bytesRead() {
        return count;
    }
}
