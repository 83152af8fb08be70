namespace GatewayProxy.Egress.Http;

/// <summary>What the admin endpoints do (the host implements them: a reshard replaces the upstream shard set).</summary>
public interface IAdminHandler
{
    /// <summary><c>POST /admin/reshard?shards=N</c>: starts a reshard to <paramref name="shards"/> upstream shards, or refuses it.</summary>
    Task<AdminReply> ReshardAsync(int shards, CancellationToken ct);

    /// <summary><c>GET /admin/reshard</c>: the reshard in progress or the last one.</summary>
    AdminReply ReshardStatus();
}

/// <summary>An admin endpoint's answer: an HTTP status and a JSON body.</summary>
/// <param name="Status">The HTTP status (202 started, 200 status, 409 one already running, 422 refused, 502 Discord unreachable).</param>
/// <param name="Json">The JSON body, e.g. <c>{"message": "..."}</c>.</param>
public readonly record struct AdminReply(int Status, byte[] Json);
