using Prometheus;

namespace Softnet.Control.Controller;

/// <summary>
/// The controller's Prometheus metrics, in a registry of its own (two controllers in one process, as in tests, do not
/// share counters): the version, the subscribed nodes, the time spent planning, applies by outcome, admission
/// refusals by resource, and link reports and the links down.
/// </summary>
public sealed class ControllerMetrics
{
    /// <summary>The text exposition format, version 0.0.4.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public ControllerMetrics()
    {
        var factory = Metrics.WithCustomRegistry(Registry);
        Version = factory.CreateGauge("softnet_controller_version", "Version of the desired state (0 before the first change).");
        Subscribers = factory.CreateGauge("softnet_controller_subscribers", "Open node subscriptions.");
        Users = factory.CreateGauge("softnet_controller_users", "Connected users, each with a software network.");
        PlanSeconds = factory.CreateHistogram("softnet_controller_plan_seconds", "Time to compute the forwarding plans of one change (only the networks it touched, or the one whose link changed).",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.0001, 4, 10) });
        Applies = factory.CreateCounter("softnet_controller_applies_total", "Apply requests by outcome: applied (a new version), unchanged, dry_run, refused.",
            new CounterConfiguration { LabelNames = ["outcome"] });
        AdmissionRefusals = factory.CreateCounter("softnet_controller_admission_refusals_total", "User connections refused by admission control, by resource.",
            new CounterConfiguration { LabelNames = ["resource"] });
        LinkReports = factory.CreateCounter("softnet_controller_link_reports_total", "Link reports that changed a link's state, by its new state: down or up.",
            new CounterConfiguration { LabelNames = ["state"] });
        LinksDown = factory.CreateGauge("softnet_controller_links_down", "Links of all networks reported down and not up again since.");
        foreach (var outcome in new[] { "applied", "unchanged", "dry_run", "refused" }) Applies.WithLabels(outcome);
        foreach (var state in new[] { "down", "up" }) LinkReports.WithLabels(state);
        foreach (var resource in Enum.GetValues<AdmissionResource>()) AdmissionRefusals.WithLabels(Label(resource));
    }

    public CollectorRegistry Registry { get; } = Metrics.NewCustomRegistry();
    public Gauge Version { get; }
    public Gauge Subscribers { get; }
    public Gauge Users { get; }
    public Histogram PlanSeconds { get; }
    public Counter Applies { get; }
    public Counter AdmissionRefusals { get; }
    public Counter LinkReports { get; }
    public Gauge LinksDown { get; }

    public static string Label(AdmissionResource resource) => resource.ToString().ToLowerInvariant();

    public Task WriteAsync(Stream destination, CancellationToken ct) => Registry.CollectAndExportAsTextAsync(destination, ct);
}
