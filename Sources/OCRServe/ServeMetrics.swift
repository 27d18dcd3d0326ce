import Foundation
import Metrics
import Prometheus

/// The service's metrics, recorded through swift-metrics' API into a Prometheus registry of this
/// server's own (not the process-wide `MetricsSystem`), so each server - and each test - sees only
/// its own counts. `GET /metrics` prints `exposition()`:
///
/// - `ocr_requests_total{route, status}` and `ocr_request_duration_seconds{route}` (histogram);
/// - `ocr_stage_duration_seconds{stage}`: decode, queue, det, cls, rec_wait, rec, page;
/// - `ocr_queue_depth` (pages waiting for a worker), `ocr_rec_batch_crops` (crops per batched
///   recogniser call), `ocr_errors_total{kind}`, `ocr_line_confidence`;
/// - `ocr_model_info{role, name, sha256, generation}` = 1 for each model serving;
///   `ocr_reloads_total{result}` (switched, refused);
/// - `ocr_model_generations_alive`: model sets loaded and not yet freed - 1 in a steady state, 2
///   while requests finish on the set a reload replaced. More means an old set is kept alive.
public final class ServeMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory
    private let queue: Meter
    private let modelGauges = ModelGauges()
    private let alive: Meter
    private let aliveCount = LockedCount()

    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // Model runs take milliseconds to seconds.
        let seconds: [Duration] = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 30000].map { .milliseconds($0) }
        factory.durationHistogramBuckets = ["ocr_request_duration_seconds": seconds, "ocr_stage_duration_seconds": seconds]
        factory.valueHistogramBuckets = ["ocr_rec_batch_crops": [1, 2, 4, 6, 8, 12, 16, 24, 32, 48, 64, 128],
                                         "ocr_line_confidence": [0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99, 1]]
        self.factory = factory
        queue = Meter(label: "ocr_queue_depth", factory: factory)
        alive = Meter(label: "ocr_model_generations_alive", factory: factory)
        alive.set(0)
    }

    func request(route: String, status: Int, seconds: Double) {
        Counter(label: "ocr_requests_total", dimensions: [("route", route), ("status", String(status))], factory: factory).increment()
        Timer(label: "ocr_request_duration_seconds", dimensions: [("route", route)], factory: factory).recordSeconds(seconds)
    }

    func stage(_ stage: String, seconds: Double) {
        Timer(label: "ocr_stage_duration_seconds", dimensions: [("stage", stage)], factory: factory).recordSeconds(seconds)
    }

    func error(kind: String) {
        Counter(label: "ocr_errors_total", dimensions: [("kind", kind)], factory: factory).increment()
    }

    func queueDepth(_ depth: Int) { queue.set(Double(depth)) }

    func batch(crops: Int) {
        Recorder(label: "ocr_rec_batch_crops", dimensions: [], aggregate: true, factory: factory).record(crops)
    }

    func confidence(_ value: Float) {
        Recorder(label: "ocr_line_confidence", dimensions: [], aggregate: true, factory: factory).record(Double(value))
    }

    func reload(switched: Bool) {
        Counter(label: "ocr_reloads_total", dimensions: [("result", switched ? "switched" : "refused")], factory: factory).increment()
    }

    /// Replaces the `ocr_model_info` series with `models`' files.
    func serving(_ models: ModelSet) {
        let gauges = models.files.map { f in
            Metrics.Gauge(label: "ocr_model_info", dimensions: [("role", f.role), ("name", f.name), ("sha256", f.sha256),
                                                        ("generation", String(models.generation))], factory: factory)
        }
        for old in modelGauges.swap(gauges) { old.destroy() }
        for g in gauges { g.record(1) }
    }

    /// Model sets alive now (`ocr_model_generations_alive`).
    public var generationsAlive: Int { aliveCount.value }

    /// A model set was made (`ModelSet.init`) or freed (its `deinit`).
    func generationLoaded() { aliveCount.add(1) { alive.set(Double($0)) } }
    func generationFreed() { aliveCount.add(-1) { alive.set(Double($0)) } }

    /// Prometheus' text format.
    public func exposition() -> String { registry.emitToString() }
}

/// A count behind a lock. The gauge is set under the same lock, so two concurrent changes cannot
/// publish their counts in the wrong order.
private final class LockedCount: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    var value: Int { lock.withLock { count } }

    /// Adds `delta` and hands the new count to `publish` before letting go of the lock.
    func add(_ delta: Int, publish: (Int) -> Void) {
        lock.withLock {
            count += delta
            publish(count)
        }
    }
}

/// The gauges of the models serving now, replaced on reload.
private final class ModelGauges: @unchecked Sendable {
    private let lock = NSLock()
    private var gauges = [Metrics.Gauge]()

    func swap(_ new: [Metrics.Gauge]) -> [Metrics.Gauge] {
        lock.withLock {
            defer { gauges = new }
            return gauges
        }
    }
}
