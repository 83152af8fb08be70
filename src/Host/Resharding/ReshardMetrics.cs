using Prometheus;

namespace GatewayProxy.Host.Resharding;

/// <summary>The reshard metrics (docs/operations.md, "Metrics").</summary>
internal sealed class ReshardMetrics
{
    private readonly Counter _total;

    public ReshardMetrics(CollectorRegistry registry)
    {
        MetricFactory factory = Prometheus.Metrics.WithCustomRegistry(registry);
        InProgress = factory.CreateGauge("gateway_reshard_in_progress", "1 while a reshard connects a new upstream shard set, switches clients to it and closes the old one.");
        _total = factory.CreateCounter("gateway_reshards_total", "Reshards by result: completed, refused (budget, range, count), failed (the new set did not get ready).", ["result"]);
        // Every result is a series from the start, so a rate() over it never starts from nothing.
        foreach (string result in (string[])["completed", "refused", "failed"]) _total.WithLabels(result);
    }

    /// <summary>1 while a reshard runs.</summary>
    public Gauge InProgress { get; }

    /// <summary>Counts a finished reshard: "completed", "refused" or "failed".</summary>
    public void Ended(string result) => _total.WithLabels(result).Inc();
}
