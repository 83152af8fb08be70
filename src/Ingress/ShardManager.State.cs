using GatewayProxy.Ingress.State;
using Microsoft.Extensions.Logging;

namespace GatewayProxy.Ingress;

/// <summary>The state file: read once before the shards are created, written once after they stop.</summary>
public sealed partial class ShardManager
{
    /// <summary>The saved shards by id when <paramref name="path"/> holds a fresh state file for this range; null (and one log line saying why) otherwise.</summary>
    private static Dictionary<int, SavedShard>? LoadState(string path, TimeSpan maxAge, int total, int start, int end, ILogger logger)
    {
        if (!StateFile.TryRead(path, DateTimeOffset.UtcNow, maxAge, out ProxyState? state, out StateFileStatus status, out string detail))
        {
            if (status == StateFileStatus.Missing)
            {
                StateLog.Missing(logger, path);
            }
            else
            {
                StateLog.Ignored(logger, path, status, detail);
            }

            return null;
        }

        if (!StateFile.Fits(state, total, start, end, out string mismatch))
        {
            StateLog.Ignored(logger, path, StateFileStatus.ShardMismatch, mismatch);
            return null;
        }

        var shards = new Dictionary<int, SavedShard>(state.Shards.Count);
        int guilds = 0;
        foreach (SavedShard shard in state.Shards)
        {
            shards[shard.ShardId] = shard;
            guilds += shard.Cache.Guilds.Count;
        }

        StateLog.Restored(logger, path, shards.Count, guilds, (DateTimeOffset.UtcNow - state.WrittenAt).TotalSeconds);
        try
        {
            // Used once: a proxy that crashes after this start must not resume these sessions again from an old sequence.
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            StateLog.NotRemoved(logger, path, e.Message);
        }

        return shards;
    }

    /// <summary>Writes every stopped shard that has a resumable session to <paramref name="path"/>; failures are logged, never thrown.</summary>
    private void SaveState(string path)
    {
        var saved = new List<SavedShard>(_shards.Length);
        int guilds = 0;
        foreach (Shard shard in _shards)
        {
            if (shard.CaptureState() is { } state)
            {
                saved.Add(state);
                guilds += state.Cache.Guilds.Count;
            }
        }

        try
        {
            long bytes = StateFile.Write(path, new ProxyState(DateTimeOffset.UtcNow, saved));
            StateLog.Saved(_logger, path, saved.Count, _shards.Length, guilds, bytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or OutOfMemoryException)
        {
            StateLog.SaveFailed(_logger, path, e.Message);
        }
    }
}
