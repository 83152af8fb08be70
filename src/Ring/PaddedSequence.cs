using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace GatewayProxy.Ring;

/// <summary>A 64-bit sequence alone on its cache line: 56 bytes of padding on each side, so writers of
/// neighbouring fields (the producer, other readers) never invalidate the line it lives on.</summary>
/// <remarks>Mutable struct: keep it in a non-readonly field and access it by reference, never copy it.</remarks>
[StructLayout(LayoutKind.Explicit, Size = TotalSize)]
public struct PaddedSequence
{
    /// <summary>Padding before and after the value: a 64-byte line holding the value holds nothing else.</summary>
    public const int PaddingBytes = 56;

    /// <summary>Size of the whole struct in bytes (padding + value + padding).</summary>
    public const int TotalSize = PaddingBytes + sizeof(long) + PaddingBytes;

    [FieldOffset(PaddingBytes)]
    private long _value;

    /// <summary>Creates a sequence holding <paramref name="initial"/>.</summary>
    public PaddedSequence(long initial) => _value = initial;

    /// <summary>The value, read with acquire and written with release semantics.</summary>
    public long Value
    {
        readonly get => Volatile.Read(in _value);
        set => Volatile.Write(ref _value, value);
    }

    /// <summary>The raw storage, for Interlocked operations and owner-only plain reads.</summary>
    [UnscopedRef]
    public ref long Raw => ref _value;
}
