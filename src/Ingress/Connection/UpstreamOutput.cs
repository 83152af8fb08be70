using System.Buffers;
using System.IO.Pipelines;

namespace GatewayProxy.Ingress.Connection;

/// <summary>
/// The send side of an upstream connection: a pipe drained into the socket (or the TLS stream) by one loop that counts
/// the bytes the transport has taken, so a writer can learn when a frame actually left (<see cref="WhenSentAsync"/>).
/// </summary>
/// <remarks>A pipe's flush completes once the bytes are in the pipe, before any reaches the socket; on a busy process
/// the send loop can run much later. The identify queue spaces IDENTIFYs by their real send, so it needs this.</remarks>
internal sealed class UpstreamOutput
{
    private readonly Pipe _pipe;
    private readonly CountingWriter _writer;
    private readonly Func<ReadOnlyMemory<byte>, ValueTask> _send;
    private readonly Lock _lock = new();
    private readonly List<(long Position, TaskCompletionSource<bool> Done)> _waiters = [];
    private long _sent;
    private bool _ended;

    /// <summary>Starts the send loop; <paramref name="send"/> hands bytes to the transport and completes once it took them all.</summary>
    public UpstreamOutput(Func<ReadOnlyMemory<byte>, ValueTask> send, PipeOptions options)
    {
        _send = send;
        _pipe = new Pipe(options);
        _writer = new CountingWriter(_pipe.Writer);
        Completion = RunAsync();
    }

    /// <summary>Where frames are written.</summary>
    public PipeWriter Writer => _writer;

    /// <summary>Bytes written to <see cref="Writer"/> so far (flushed or not).</summary>
    public long Written => _writer.Written;

    /// <summary>Bytes the transport has taken so far.</summary>
    public long Sent => Volatile.Read(ref _sent);

    /// <summary>Completes when the send loop has ended (the writer completed, or the transport failed).</summary>
    public Task Completion { get; }

    /// <summary>Completes with true once the transport has taken every byte up to <paramref name="position"/> (a value
    /// of <see cref="Written"/> after a flush), or with false when the connection ended first.</summary>
    public Task<bool> WhenSentAsync(long position)
    {
        lock (_lock)
        {
            if (_sent >= position)
            {
                return Task.FromResult(true);
            }

            if (_ended)
            {
                return Task.FromResult(false);
            }

            var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((position, done));
            return done.Task;
        }
    }

    private async Task RunAsync()
    {
        PipeReader reader = _pipe.Reader;
        try
        {
            while (true)
            {
                ReadResult result = await reader.ReadAsync().ConfigureAwait(false);
                ReadOnlySequence<byte> buffer = result.Buffer;
                foreach (ReadOnlyMemory<byte> segment in buffer)
                {
                    await _send(segment).ConfigureAwait(false);
                }

                long length = buffer.Length; // read before AdvanceTo: the segments go back to the pool there
                reader.AdvanceTo(buffer.End);
                OnSent(length);
                if (result.IsCompleted || result.IsCanceled)
                {
                    return;
                }
            }
        }
        catch (Exception)
        {
            // Whatever the transport threw (socket, TLS, disposal), it is gone: the writer sees a completed pipe and the
            // read side reports why.
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
            EndWaiters();
        }
    }

    private void OnSent(long count)
    {
        if (count == 0)
        {
            return;
        }

        lock (_lock)
        {
            _sent += count;
            for (int i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Position <= _sent)
                {
                    _waiters[i].Done.TrySetResult(true);
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    private void EndWaiters()
    {
        lock (_lock)
        {
            _ended = true;
            foreach ((long _, TaskCompletionSource<bool> done) in _waiters)
            {
                done.TrySetResult(false);
            }

            _waiters.Clear();
        }
    }

    /// <summary>The pipe's writer, counting what is written through it.</summary>
    private sealed class CountingWriter(PipeWriter inner) : PipeWriter
    {
        private long _written;

        public long Written => Volatile.Read(ref _written);

        public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

        public override long UnflushedBytes => inner.UnflushedBytes;

        public override void Advance(int bytes)
        {
            inner.Advance(bytes);
            Volatile.Write(ref _written, _written + bytes);
        }

        public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);

        public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);
    }
}
