namespace GatewayProxy.Egress;

/// <summary>A reshard in progress, as /health shows it.</summary>
/// <param name="From">The shard count serving now.</param>
/// <param name="To">The shard count being connected.</param>
/// <param name="Ready">How many shards of the new set are ready.</param>
/// <param name="Phase">"connecting" (the new set identifies and builds its caches), "switching" (clients were sent op 7), or
/// "closing" (the old set's sessions are being ended).</param>
public sealed record ReshardProgress(int From, int To, int Ready, string Phase);
