using GatewayProxy.Simulator.Data;
using Xunit;

namespace GatewayProxy.Tests.Simulator.Data;

/// <summary><see cref="SeededRandom"/> gives what <c>new Random(seed)</c> gives, method by method, and resumes from a capture exactly.</summary>
public sealed class SeededRandomTests
{
    public static TheoryData<int> Seeds => new() { 0, 1, 7, 42, -5, 123_456_789, int.MaxValue, int.MinValue };

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Every_method_matches_a_seeded_System_Random(int seed)
    {
        var expected = new Random(seed);
        var actual = new SeededRandom(seed);
        var bytesA = new byte[7];
        var bytesB = new byte[7];
        for (var i = 0; i < 20_000; i++)
        {
            switch (i % 9)
            {
                case 0: Assert.Equal(expected.Next(), actual.Next()); break;
                case 1: Assert.Equal(expected.Next(1 + (i % 5000)), actual.Next(1 + (i % 5000))); break;
                case 2: Assert.Equal(expected.Next(-i, i * 3), actual.Next(-i, i * 3)); break;
                case 3: Assert.Equal(expected.Next(int.MinValue + i, int.MaxValue - i), actual.Next(int.MinValue + i, int.MaxValue - i)); break;
                case 4: Assert.Equal(expected.NextInt64(), actual.NextInt64()); break;
                case 5: Assert.Equal(expected.NextInt64(-i, (long)i << 30), actual.NextInt64(-i, (long)i << 30)); break;
                case 6: Assert.Equal(expected.NextDouble(), actual.NextDouble()); break;
                case 7: Assert.Equal(expected.NextSingle(), actual.NextSingle()); break;
                default:
                    expected.NextBytes(bytesA);
                    actual.NextBytes(bytesB);
                    Assert.Equal(bytesA, bytesB);
                    break;
            }
        }
    }

    [Fact]
    public void A_resumed_capture_continues_the_sequence_and_the_capture_stays_reusable()
    {
        var random = new SeededRandom(99);
        for (var i = 0; i < 1234; i++)
        {
            random.Next(1000);
        }

        var capture = random.Capture();
        var rest = Enumerable.Range(0, 500).Select(_ => random.Next()).ToList();
        Assert.Equal(rest, Draw(SeededRandom.Resume(capture), 500));

        // Resuming copies the capture: a second resume starts at the same place.
        Assert.Equal(rest, Draw(SeededRandom.Resume(capture), 500));
    }

    private static List<int> Draw(Random random, int count) => Enumerable.Range(0, count).Select(_ => random.Next()).ToList();
}
