using System.Runtime.CompilerServices;

namespace GatewayProxy.Protocol.Gateway;

/// <summary>A set of <see cref="EventKind"/>s as a 128-bit mask: membership is one shift and one bit test, no allocation.</summary>
public readonly struct EventKindSet : IEquatable<EventKindSet>
{
    /// <summary>How many kinds the mask can hold; every <see cref="EventKind"/> value is below it (a unit test checks).</summary>
    public const int Capacity = 128;

    private readonly ulong _low;
    private readonly ulong _high;

    private EventKindSet(ulong low, ulong high)
    {
        _low = low;
        _high = high;
    }

    /// <summary>Every kind, including <see cref="EventKind.Unknown"/> and names added later.</summary>
    public static EventKindSet All { get; } = new(ulong.MaxValue, ulong.MaxValue);

    /// <summary>True when <paramref name="kind"/> is in the set.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Contains(EventKind kind)
    {
        uint k = (uint)kind;
        // Shifts use the low 6 bits: pick the word by bit 6. Values at or above Capacity are never stored, so they count as in.
        ulong word = k < 64 ? _low : _high;
        return k >= Capacity || ((word >> (int)(k & 63)) & 1) != 0;
    }

    /// <summary>This set without <paramref name="kind"/>.</summary>
    public EventKindSet Without(EventKind kind)
    {
        uint k = (uint)kind;
        if (k >= Capacity) return this;
        ulong bit = 1UL << (int)(k & 63);
        return k < 64 ? new EventKindSet(_low & ~bit, _high) : new EventKindSet(_low, _high & ~bit);
    }

    /// <inheritdoc />
    public bool Equals(EventKindSet other) => _low == other._low && _high == other._high;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is EventKindSet other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_low, _high);

    /// <summary>Equality.</summary>
    public static bool operator ==(EventKindSet left, EventKindSet right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(EventKindSet left, EventKindSet right) => !left.Equals(right);
}
