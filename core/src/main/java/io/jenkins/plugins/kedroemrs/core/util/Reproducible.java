package io.jenkins.plugins.kedroemrs.core.util;

/**
 * The timestamp written into built artifacts, so the same sources give byte-identical wheels and tarballs (and an
 * image build can reuse their layers): {@code SOURCE_DATE_EPOCH} when set, else 1980-01-01T00:00:00Z, the earliest
 * time a zip (wheel) can hold.
 */
public final class Reproducible {
    public static final long DEFAULT_EPOCH_SECONDS = 315_532_800L;

    private Reproducible() {
    }

    public static long epochSeconds() {
        String epoch = System.getenv("SOURCE_DATE_EPOCH");
        if (epoch != null && epoch.strip().matches("\\d{1,12}")) {
            return Math.max(DEFAULT_EPOCH_SECONDS, Long.parseLong(epoch.strip()));
        }
        return DEFAULT_EPOCH_SECONDS;
    }
}
