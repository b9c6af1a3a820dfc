package io.otelservices.ingest.prometheus;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.InvalidProtocolBufferException;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.otelservices.ingest.IngestPipeline;
import io.otelservices.ingest.Signal;
import io.otelservices.ingest.TelemetryItems;
import io.otelservices.ingest.logging.LogThrottle;
import io.otelservices.ingest.prometheus.RemoteWriteAnswers.Answer;
import io.otelservices.ingest.prometheus.WriteRequestConverter.Converted;
import io.otelservices.model.MetricPoint;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/write}: checks method, media type, encoding and declared size on the event loop, then
 * decompresses, decodes and converts on the blocking task executor, and answers once the accepted samples are
 * durable in the write-ahead log. Answers are listed in {@link RemoteWriteAnswers}. Thread-safe.
 */
final class RemoteWriteService implements HttpService {

    private static final Logger log = LoggerFactory.getLogger(RemoteWriteService.class);
    /** Remote write 1.0's message; 2.0 senders name theirs in the Content-Type's {@code proto} parameter. */
    private static final String WRITE_REQUEST_PROTO = "prometheus.WriteRequest";

    private final IngestPipeline pipeline;
    private final long maxRequestBytes;
    private final SampleTracker tracker;
    private final MetricFamilies families;
    private final RemoteWriteMetrics metrics;
    private final LogThrottle rejectedLog = new LogThrottle(Duration.ofSeconds(10));
    private final LogThrottle refusedLog = new LogThrottle(Duration.ofSeconds(10));

    RemoteWriteService(IngestPipeline pipeline, long maxRequestBytes, SampleTracker tracker,
            MetricFamilies families, RemoteWriteMetrics metrics) {
        this.pipeline = requireNonNull(pipeline, "pipeline");
        this.maxRequestBytes = maxRequestBytes;
        this.tracker = requireNonNull(tracker, "tracker");
        this.families = requireNonNull(families, "families");
        this.metrics = requireNonNull(metrics, "metrics");
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        if (req.method() != HttpMethod.POST) {
            return respond(RemoteWriteAnswers.methodNotAllowed(req.method().name()));
        }
        RemoteWriteException refused = checkHeaders(req);
        if (refused != null) {
            return respond(RemoteWriteAnswers.failure(refused));
        }
        CompletableFuture<HttpResponse> response = req.aggregate()
                .thenComposeAsync(aggregated -> handle(aggregated.content().array(), ctx.blockingTaskExecutor()),
                        ctx.blockingTaskExecutor())
                .exceptionally(RemoteWriteAnswers::failure)
                .thenApply(this::respond);
        return HttpResponse.of(response);
    }

    /** Why the request's headers rule it out, or {@code null}. */
    private RemoteWriteException checkHeaders(HttpRequest req) {
        MediaType contentType = req.contentType();
        // application/protobuf too, as the OTLP receiver takes it
        if (contentType == null || !"application".equalsIgnoreCase(contentType.type())
                || !("x-protobuf".equalsIgnoreCase(contentType.subtype())
                        || "protobuf".equalsIgnoreCase(contentType.subtype()))) {
            return RemoteWriteException.unsupportedMediaType("unsupported Content-Type: "
                    + req.headers().get(HttpHeaderNames.CONTENT_TYPE) + " (expected: application/x-protobuf)");
        }
        List<String> proto = contentType.parameters().get("proto");
        if (proto != null && !proto.isEmpty() && !WRITE_REQUEST_PROTO.equals(proto.get(0))) {
            return RemoteWriteException.unsupportedMediaType("unsupported remote write message: proto="
                    + proto.get(0) + " (expected: prometheus.WriteRequest, remote write 1.0)");
        }
        String encoding = req.headers().get(HttpHeaderNames.CONTENT_ENCODING);
        if (encoding != null && !encoding.isBlank() && !"snappy".equalsIgnoreCase(encoding.trim())) {
            return RemoteWriteException.unsupportedMediaType(
                    "unsupported Content-Encoding: " + encoding + " (expected: snappy)");
        }
        long declaredLength = req.headers().contentLength();
        if (declaredLength > maxRequestBytes) {
            return RemoteWriteException.tooLarge("request body of " + declaredLength
                    + " bytes is larger than the limit of " + maxRequestBytes + " bytes");
        }
        return null;
    }

    private CompletableFuture<Answer> handle(byte[] body, Executor executor) {
        Converted converted;
        try {
            byte[] request = SnappyBodies.uncompress(body, maxRequestBytes);
            try {
                converted = new WriteRequestConverter(tracker, families).convert(request, request.length);
            } catch (InvalidProtocolBufferException e) {
                throw RemoteWriteException.badData("cannot decode remote write request of " + request.length
                        + " bytes as protobuf prometheus.WriteRequest: " + e.getMessage(), e);
            }
        } catch (RemoteWriteException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        // Metadata is no data to lose: remembered at once, whatever becomes of the samples.
        families.putAll(converted.families());
        metrics.rejected(converted.rejections());
        metrics.droppedExemplars(converted.droppedExemplars());
        List<MetricPoint> points = converted.points();
        if (points.isEmpty()) {
            return CompletableFuture.completedFuture(answer(converted));
        }
        byte[] payload = OtlpMetricsEncoder.encode(points);
        // The rest runs off the write-ahead log's thread, which completes the submission.
        return pipeline.submit(Signal.METRICS, payload, new TelemetryItems(List.of(), List.of(), points))
                .thenApplyAsync(ignored -> {
                    // Only durable samples advance the ordering checks: a refused request can be sent again.
                    tracker.advance(converted.latest());
                    metrics.accepted(points.size());
                    return answer(converted);
                }, executor);
    }

    private Answer answer(Converted converted) {
        metrics.duplicates(converted.duplicates());
        Rejections rejections = converted.rejections();
        if (rejections.isEmpty()) {
            return RemoteWriteAnswers.stored();
        }
        long suppressed = rejectedLog.tryAcquire();
        if (suppressed >= 0) {
            log.atWarn()
                    .addKeyValue("rejectedSamples", rejections.samples())
                    .addKeyValue("storedSamples", converted.points().size())
                    .addKeyValue("firstError", rejections.firstMessage())
                    .addKeyValue("suppressed", suppressed)
                    .log("remote write samples rejected");
        }
        return RemoteWriteAnswers.samplesRejected(
                rejections.answer(converted.points().size() + converted.duplicates()));
    }

    private HttpResponse respond(Answer answer) {
        int status = answer.response().status().code();
        metrics.request(status, answer.reason());
        // A refused request is a sender's problem, and senders repeat it: logged once in a while, with a count.
        if (status >= 400 && status < 500 && !answer.reason().equals("rejected_samples")) {
            long suppressed = refusedLog.tryAcquire();
            if (suppressed >= 0) {
                log.atWarn().addKeyValue("status", status).addKeyValue("reason", answer.reason())
                        .addKeyValue("message", answer.response().contentUtf8().trim())
                        .addKeyValue("suppressed", suppressed)
                        .log("remote write request refused");
            }
        }
        return answer.response().toHttpResponse();
    }
}
