namespace GatewayProxy.Simulator;

/// <summary>Holding RESUMEs: a test can act between a client's RESUME and Discord's replay (e.g. connect a bot to a restarted proxy first).</summary>
public sealed partial class DiscordSimulator
{
    private TaskCompletionSource? _resumeHold;
    private int _heldResumes;

    /// <summary>RESUMEs waiting for <see cref="ReleaseResumes"/> now.</summary>
    public int HeldResumes => Volatile.Read(ref _heldResumes);

    /// <summary>From now on a RESUME waits unanswered (its connection stays open, nothing is replayed) until <see cref="ReleaseResumes"/>.</summary>
    /// <remarks>The held connection reads nothing meanwhile, heartbeats included: keep the hold shorter than the heartbeat timeout.</remarks>
    public void HoldResumes() => Interlocked.CompareExchange(ref _resumeHold, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), null);

    /// <summary>Answers every held RESUME and stops holding new ones.</summary>
    public void ReleaseResumes() => Interlocked.Exchange(ref _resumeHold, null)?.TrySetResult();

    /// <summary>Waits while RESUMEs are held; false when the simulator stops meanwhile.</summary>
    private async Task<bool> WaitWhileResumesHeldAsync()
    {
        if (Volatile.Read(ref _resumeHold) is not { } hold)
        {
            return true;
        }

        Interlocked.Increment(ref _heldResumes);
        try
        {
            await hold.Task.WaitAsync(_stop.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        finally
        {
            Interlocked.Decrement(ref _heldResumes);
        }
    }
}
