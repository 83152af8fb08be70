namespace GatewayProxy.Simulator;

/// <summary>One dispatch the simulator sequenced for a session: its <c>s</c>, <c>t</c> and the exact JSON payload (before compression).</summary>
/// <param name="SessionId">The session it belongs to.</param>
/// <param name="Seq">Its sequence number in that session.</param>
/// <param name="Type">The event name.</param>
/// <param name="Payload">The whole envelope <c>{"t":…,"s":…,"op":0,"d":…}</c> as UTF-8 JSON.</param>
public readonly record struct SentDispatch(string SessionId, long Seq, string Type, byte[] Payload);

/// <summary>One payload a client sent, in arrival order.</summary>
/// <param name="Order">Position among every command received by this simulator (0, 1, 2…).</param>
/// <param name="ConnectionId">The connection it came on.</param>
/// <param name="Shard">The connection's shard (for IDENTIFY the shard it asked for), or -1 when unknown.</param>
/// <param name="Op">Its op, or -1 when it was not a valid payload.</param>
/// <param name="Time">When it was received.</param>
/// <param name="Payload">The raw bytes received.</param>
public readonly record struct GatewayCommandRecord(long Order, int ConnectionId, int Shard, int Op, DateTimeOffset Time, byte[] Payload);

/// <summary>One IDENTIFY the simulator received (after it parsed).</summary>
/// <param name="Order">Position on the timeline shared with <see cref="QueueGrantRecord"/>.</param>
/// <param name="Shard">The shard it asked for.</param>
/// <param name="Time">When it arrived.</param>
/// <param name="Accepted">Whether it started a session (false: it broke a limit and got op 9).</param>
/// <param name="Refusal">Why it was refused, or null.</param>
public readonly record struct IdentifyRecord(long Order, int Shard, DateTimeOffset Time, bool Accepted, string? Refusal);

/// <summary>One turn the identify queue granted (a <c>/queue?shard=N</c> request answered 200).</summary>
/// <param name="Order">Position on the timeline shared with <see cref="IdentifyRecord"/>.</param>
/// <param name="Shard">The shard allowed to identify.</param>
/// <param name="Time">When it was granted.</param>
public readonly record struct QueueGrantRecord(long Order, int Shard, DateTimeOffset Time);
