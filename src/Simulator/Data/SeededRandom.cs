namespace GatewayProxy.Simulator.Data;

/// <summary>
/// The sequence <c>new Random(seed)</c> produces (Knuth's subtractive generator, which .NET keeps for seeded instances),
/// with its state exposed so a generator can be stopped at a guild and resumed there later: the world is generated once
/// to find where each guild's draws start, and any guild is regenerated from that point, byte for byte, when it is sent.
/// </summary>
/// <remarks><c>SeededRandomTests</c> checks every method against <see cref="Random"/> for many seeds.</remarks>
internal sealed class SeededRandom : Random
{
    private const int Size = 56;
    private readonly int[] _state;
    private int _next;
    private int _nextPrime;

    /// <summary>Starts the sequence of <c>new Random(<paramref name="seed"/>)</c>.</summary>
    public SeededRandom(int seed)
    {
        _state = new int[Size];
        var subtract = seed == int.MinValue ? int.MaxValue : Math.Abs(seed);
        var value = 161_803_398 - subtract;
        _state[Size - 1] = value;
        var previous = 1;
        var index = 0;
        for (var i = 1; i < Size - 1; i++)
        {
            index += 21;
            if (index >= Size - 1)
            {
                index -= Size - 1;
            }

            _state[index] = previous;
            previous = value - previous;
            if (previous < 0)
            {
                previous += int.MaxValue;
            }

            value = _state[index];
        }

        for (var round = 1; round < 5; round++)
        {
            for (var i = 1; i < Size; i++)
            {
                var other = i + 30;
                if (other >= Size - 1)
                {
                    other -= Size - 1;
                }

                _state[i] -= _state[1 + other];
                if (_state[i] < 0)
                {
                    _state[i] += int.MaxValue;
                }
            }
        }

        _nextPrime = 21;
    }

    private SeededRandom(RandomState state)
    {
        _state = (int[])state.Table.Clone();
        _next = state.Next;
        _nextPrime = state.NextPrime;
    }

    /// <summary>A generator that continues from <paramref name="state"/> (the capture is not changed).</summary>
    public static SeededRandom Resume(RandomState state) => new(state);

    /// <summary>Where the sequence stands now; <see cref="Resume"/> continues from it.</summary>
    public RandomState Capture() => new((int[])_state.Clone(), _next, _nextPrime);

    /// <inheritdoc />
    public override int Next() => Step();

    /// <inheritdoc />
    public override int Next(int maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxValue);
        return (int)(Sample() * maxValue);
    }

    /// <inheritdoc />
    public override int Next(int minValue, int maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minValue, maxValue);
        var range = (long)maxValue - minValue;
        return range <= int.MaxValue ? (int)(Sample() * range) + minValue : (int)((long)(LargeRangeSample() * range) + minValue);
    }

    /// <inheritdoc />
    public override long NextInt64()
    {
        while (true)
        {
            // The top 63 of 64 bits, drawn again in the one case that would give long.MaxValue (the range is exclusive).
            var value = NextUInt64() >> 1;
            if (value != long.MaxValue)
            {
                return (long)value;
            }
        }
    }

    /// <inheritdoc />
    public override long NextInt64(long maxValue) => NextInt64(0, maxValue);

    /// <inheritdoc />
    public override long NextInt64(long minValue, long maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minValue, maxValue);
        var range = (ulong)(maxValue - minValue);
        if (range <= 1)
        {
            return minValue;
        }

        var bits = System.Numerics.BitOperations.Log2(range - 1) + 1;
        while (true)
        {
            var value = NextUInt64() >> (64 - bits);
            if (value < range)
            {
                return (long)value + minValue;
            }
        }
    }

    /// <inheritdoc />
    public override double NextDouble() => Sample();

    /// <inheritdoc />
    public override float NextSingle()
    {
        while (true)
        {
            var value = (float)Sample();
            if (value < 1.0f)
            {
                return value;
            }
        }
    }

    /// <inheritdoc />
    public override void NextBytes(byte[] buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        NextBytes(buffer.AsSpan());
    }

    /// <inheritdoc />
    public override void NextBytes(Span<byte> buffer)
    {
        for (var i = 0; i < buffer.Length; i++)
        {
            buffer[i] = (byte)Step();
        }
    }

    /// <inheritdoc />
    protected override double Sample() => Step() * (1.0 / int.MaxValue);

    private ulong NextUInt64() =>
        (uint)Next(1 << 22) | ((ulong)(uint)Next(1 << 22) << 22) | ((ulong)(uint)Next(1 << 20) << 44);

    private double LargeRangeSample()
    {
        // One sample's 31 bits and a second one's parity for the sign, mapped onto [0, 1).
        var value = Step();
        if (Step() % 2 == 0)
        {
            value = -value;
        }

        return (value + (double)(int.MaxValue - 1)) / ((2u * int.MaxValue) - 1);
    }

    private int Step()
    {
        var next = _next + 1 >= Size ? 1 : _next + 1;
        var nextPrime = _nextPrime + 1 >= Size ? 1 : _nextPrime + 1;
        var value = _state[next] - _state[nextPrime];
        if (value == int.MaxValue)
        {
            value--;
        }

        if (value < 0)
        {
            value += int.MaxValue;
        }

        _state[next] = value;
        _next = next;
        _nextPrime = nextPrime;
        return value;
    }
}

/// <summary>A captured <see cref="SeededRandom"/> position (its 56-entry table and two indexes); immutable once made.</summary>
internal sealed record RandomState(int[] Table, int Next, int NextPrime);
