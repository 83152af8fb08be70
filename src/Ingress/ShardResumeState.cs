namespace GatewayProxy.Ingress;

/// <summary>What a shard needs to RESUME an upstream session instead of identifying (saved across proxy restarts).</summary>
/// <param name="SessionId">The upstream session id from READY.</param>
/// <param name="Sequence">The last upstream sequence the proxy received.</param>
/// <param name="ResumeUrl">READY's <c>resume_gateway_url</c>.</param>
public sealed record ShardResumeState(string SessionId, long Sequence, Uri? ResumeUrl);
