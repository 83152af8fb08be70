using System.Diagnostics.CodeAnalysis;

namespace GatewayProxy.Ring;

/// <summary>Throws from cold paths so hot methods stay small enough to inline.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void BadSize(int size) =>
        throw new ArgumentException($"Ring size must be a power of two between 1 and 2^30; got {size}.", nameof(size));

    [DoesNotReturn]
    public static void OutOfOrderPublish(long sequence, long expected) =>
        throw new InvalidOperationException($"Publish({sequence}) out of order: the next sequence to publish is {expected}.");

    [DoesNotReturn]
    public static void BadAdvance(long to, long position, long cursor) =>
        throw new ArgumentOutOfRangeException(nameof(to), to, $"Advance must move within ({position}, {cursor}].");

    [DoesNotReturn]
    public static void StartTooOld(long startAfter, long oldest) =>
        throw new ArgumentOutOfRangeException(nameof(startAfter), startAfter,
            $"A gating reader must start after {oldest} or later: older slots may already be overwritten.");

    [DoesNotReturn]
    public static void BadStart(long startAfter) =>
        throw new ArgumentOutOfRangeException(nameof(startAfter), startAfter, "startAfter must be -1 or a sequence.");

    [DoesNotReturn]
    public static void NullSlot(long index) =>
        throw new InvalidOperationException($"The slot factory returned null for index {index}.");

    [DoesNotReturn]
    public static void Disposed(string name) => throw new ObjectDisposedException(name);

    [DoesNotReturn]
    public static void Concurrent() =>
        throw new InvalidOperationException("This waiter is already in use: a reader or signal has one waiter at a time.");
}
