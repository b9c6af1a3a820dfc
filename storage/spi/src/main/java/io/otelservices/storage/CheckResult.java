package io.otelservices.storage;

/**
 * The result of {@link StorageBackend#check()}.
 *
 * @param ok whether the backend is usable
 * @param error why not, or {@code null} when ok
 */
public record CheckResult(boolean ok, Throwable error) {

    public static final CheckResult OK = new CheckResult(true, null);

    public static CheckResult failed(Throwable error) {
        return new CheckResult(false, error);
    }
}
