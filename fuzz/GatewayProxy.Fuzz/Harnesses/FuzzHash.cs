namespace GatewayProxy.Fuzz.Harnesses;

/// <summary>A running FNV-1a hash: harnesses fold what they observed into it to compare two runs of one input.</summary>
public struct FuzzHash
{
    private const ulong Prime = 1099511628211UL;

    /// <summary>The hash so far.</summary>
    public ulong Value;

    /// <summary>A hash at FNV's offset basis.</summary>
    public static FuzzHash Create() => new() { Value = 14695981039346656037UL };

    /// <summary>Folds one number in.</summary>
    public void Add(long value)
    {
        for (int i = 0; i < 8; i++)
        {
            Value = (Value ^ (byte)(value >> (8 * i))) * Prime;
        }
    }

    /// <summary>Folds bytes in (their length first, so boundaries count).</summary>
    public void Add(ReadOnlySpan<byte> bytes)
    {
        Add(bytes.Length);
        foreach (byte b in bytes)
        {
            Value = (Value ^ b) * Prime;
        }
    }
}
