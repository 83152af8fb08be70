using GatewayProxy.Simulator;
using GatewayProxy.Tests.Host.EndToEnd;
using GatewayProxy.Tests.Support;
using Xunit;

namespace GatewayProxy.Tests.Host.Faults;

/// <summary>Where a client's run starts in the Simulator's stream. Payloads repeat: a restarted Simulator regenerates the same
/// data, and a re-identify with nothing in between sends a byte-identical GUILD_CREATE burst, so a client that connected while
/// its shard re-identified can have its first live event at several positions of its snapshot window [floor, ceiling].
/// Matching the first payload alone picks the earliest copy; the run as a whole tells which start it is.</summary>
internal sealed partial class FaultScene
{
    /// <summary>Reads the client's whole run: until the latest start that fits what arrived is complete, then proves nothing
    /// more is queued (what does arrive rules that start out, and an earlier one must then be complete). False when the
    /// client was cut (its run then checked as a prefix).</summary>
    private async Task<bool> ReadWholeRunAsync(TrackedClient client, List<(long Position, SentDispatch Sent)> relayable)
    {
        while (true)
        {
            int start = ConsistentStart(client, relayable, ExpectedSeqs(client), exact: false);
            if (start < 0) return true; // Nothing fits: AssertGaplessRun says where it differs.
            int total = relayable.Count - start;
            if (client.Live.Count < total)
            {
                try
                {
                    await client.CollectAsync(_ => client.Live.Count >= total);
                }
                catch (TimeoutException)
                {
                    client.Left = true;
                    AssertGaplessRun(client, relayable);
                    Assert.Fail($"missing: {string.Join(", ", relayable.Skip(start + client.Live.Count).Select(r => $"{r.Sent.Type} s={r.Sent.Seq} at {r.Position} of {r.Sent.SessionId[..6]}"))}; "
                        + $"cache at {ShardOf(client.Shard).Cache.Position}; resumes {string.Join(",", client.ResumePoints)}; client of shard {client.Shard}"
                        + $"{(client.Relay is null ? "" : " (the stalling one)")} stopped at {client.Live.Count} of {total} events after its snapshot; "
                        + $"lag {ShardOf(client.Shard).Ring.Cursor}, proxy clients {Fixture.Proxy.Server.ConnectedClients}");
                }

                if (client.CutWith is { } code)
                {
                    Assert.True(code == 4000, $"the stalling client was cut with {code}, wanted 4000 (too far behind)");
                    client.Left = true;
                    AssertGaplessRun(client, relayable);
                    return false;
                }

                continue;
            }

            await client.Client.HeartbeatAsync();
            (GatewayMessage _, List<GatewayMessage> extra) = await client.Client.ReceiveUntilAsync(m => m.Op == 11, ProxyFixture.WaitLimit);
            if (extra.Count == 0) return true;
            Assert.True(extra.TrueForAll(m => m.Op == 0 && m.Type != "RESUMED"), $"shard {client.Shard}: after its run, {extra.First(m => m.Op != 0 || m.Type == "RESUMED")}");
            client.Live.AddRange(extra);
        }
    }

    /// <summary>The latest index in <paramref name="relayable"/> in the client's snapshot window from which the Simulator's
    /// stream is what the client received (all of it to the end when <paramref name="exact"/>, else a prefix); -1 if none.</summary>
    private static int ConsistentStart(TrackedClient client, List<(long Position, SentDispatch Sent)> relayable, long[] seqs, bool exact)
    {
        // The first live event follows the snapshot, taken at a position in [floor, ceiling]: it lies after the floor and no
        // later than the first dispatch after the ceiling.
        int last = relayable.FindIndex(r => r.Position > client.SnapshotCeiling);
        if (last < 0) last = relayable.Count - 1;
        for (int start = last; start >= 0 && relayable[start].Position > client.SnapshotFloor; start--)
        {
            int total = relayable.Count - start;
            if (client.Live.Count > total || (exact && client.Live.Count != total)) continue;
            bool fits = true;
            for (int i = 0; i < client.Live.Count && fits; i++)
            {
                fits = Splice(relayable[start + i].Sent.Payload, seqs[i]).AsSpan().SequenceEqual(client.Live[i].Json);
            }

            if (fits) return start;
        }

        return -1;
    }

    /// <summary>The client sequence each live event must carry: +1 per event, and a RESUMED takes one too.</summary>
    private static long[] ExpectedSeqs(TrackedClient client)
    {
        var seqs = new long[client.Live.Count];
        long next = client.FirstLiveSeq;
        int resumed = 0;
        for (int i = 0; i < seqs.Length; i++)
        {
            while (resumed < client.Resumed.Count && client.Resumed[resumed].Before == i)
            {
                next++;
                resumed++;
            }

            seqs[i] = next++;
        }

        return seqs;
    }
}
