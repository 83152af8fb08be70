using GatewayProxy.Protocol.Gateway;

namespace GatewayProxy.Fuzz.Harnesses;

/// <summary>Fuzzes <see cref="EnvelopeScanner"/>: the input is one gateway payload.</summary>
/// <remarks>
/// Oracles: every range lies inside the payload; the fast path, when taken and when the structural scan also accepts,
/// agrees with it field by field; strict = structural + valid JSON; and where System.Text.Json parses the payload as an
/// object (and does not abstain), the structural scan succeeds exactly when the keys are unique and well-typed, with
/// the same op, s, t and d bytes. The fast path trusts d (Discord is its producer), so it is held to STJ only on t/s/op.
/// </remarks>
public static class EnvelopeHarness
{
    /// <summary>Runs one input.</summary>
    public static void Run(ReadOnlySpan<byte> payload)
    {
        bool fast = EnvelopeScanner.TryScanFast(payload, out Envelope fastEnvelope);
        bool structural = EnvelopeScanner.ScanStructural(payload, out Envelope structuralEnvelope, out EnvelopeError structuralError);
        bool strict = EnvelopeScanner.TryScanStrict(payload, out Envelope strictEnvelope, out _);
        bool any = EnvelopeScanner.TryScan(payload, out Envelope anyEnvelope, out EnvelopeError anyError);

        FuzzFailureException.Check(structural == (structuralError == EnvelopeError.None), "structural: result and error disagree");
        FuzzFailureException.Check(any == (fast || structural), "TryScan is not fast-or-structural");
        FuzzFailureException.Check(any == (anyError == EnvelopeError.None), "TryScan: result and error disagree");
        if (fast)
        {
            CheckRanges(payload, fastEnvelope, "fast");
            Same(fastEnvelope, anyEnvelope, "TryScan differs from the fast path");
            if (structural)
            {
                // d is not compared: the fast path takes everything up to the last '}' as d without reading it, so
                // {"t":..,"s":..,"op":..,"d":{},"x":{}} gives d = {},"x":{} there (trusted upstream only, by design).
                SameHeader(fastEnvelope, structuralEnvelope, "fast and structural paths disagree on t/s/op");
            }
        }

        if (structural)
        {
            CheckRanges(payload, structuralEnvelope, "structural");
        }

        FuzzFailureException.Check(!strict || structural, "strict accepted what structural rejected");
        if (strict)
        {
            Same(strictEnvelope, structuralEnvelope, "strict and structural disagree");
        }

        byte[] bytes = payload.ToArray();
        JsonOracle json = JsonOracle.Read(bytes);
        FuzzFailureException.Check(!strict || json.Parsed, "strict accepted what System.Text.Json rejects");
        if (!json.Parsed || json.Abstain)
        {
            return;
        }

        FuzzFailureException.Check(!structural || strict, "STJ and structural accept but strict rejects");
        if (!json.IsObject)
        {
            FuzzFailureException.Check(!structural && !fast, "a non-object was scanned as an envelope");
            return;
        }

        bool expected = json.IsValidEnvelope;
        FuzzFailureException.Check(structural == expected, $"structural scan says {structural} ({structuralError}), STJ says {expected}");
        if (structural)
        {
            MatchesJson(bytes, structuralEnvelope, json, checkData: true, "structural");
        }

        if (fast && json.TCount <= 1 && json.SCount <= 1 && json.OpCount == 1)
        {
            MatchesJson(bytes, fastEnvelope, json, checkData: false, "fast");
        }
    }

    private static void MatchesJson(byte[] payload, Envelope envelope, JsonOracle json, bool checkData, string path)
    {
        FuzzFailureException.Check(envelope.Op == json.OpValue, $"{path}: op {envelope.Op}, STJ {json.OpValue}");
        FuzzFailureException.Check(envelope.Seq == json.SeqValue, $"{path}: s {envelope.Seq}, STJ {json.SeqValue}");
        FuzzFailureException.Check(envelope.HasSeq == (json.SCount == 1), $"{path}: s presence differs from STJ");
        if (envelope.HasSeq)
        {
            FuzzFailureException.Check(payload.AsSpan(envelope.SeqStart, envelope.SeqLength).SequenceEqual(json.S), $"{path}: s bytes differ from STJ");
        }

        bool hasType = json.TCount == 1 && json.TKind == System.Text.Json.JsonValueKind.String;
        FuzzFailureException.Check((envelope.TypeStart >= 0) == hasType, $"{path}: t presence differs from STJ");
        if (hasType)
        {
            // STJ's raw string value includes the quotes; the envelope's range is what lies between them.
            FuzzFailureException.Check(envelope.TypeName(payload).SequenceEqual(json.T.AsSpan(1, json.T!.Length - 2)), $"{path}: t bytes differ from STJ");
        }

        if (checkData)
        {
            FuzzFailureException.Check(envelope.HasData == (json.DCount == 1), $"{path}: d presence differs from STJ");
            FuzzFailureException.Check(!envelope.HasData || envelope.Data(payload).SequenceEqual(json.D), $"{path}: d bytes differ from STJ");
        }
    }

    private static void CheckRanges(ReadOnlySpan<byte> payload, Envelope e, string path)
    {
        FuzzFailureException.Check(InRange(payload.Length, e.SeqStart, e.SeqLength), $"{path}: s range outside the payload");
        FuzzFailureException.Check(InRange(payload.Length, e.TypeStart, e.TypeLength), $"{path}: t range outside the payload");
        FuzzFailureException.Check(InRange(payload.Length, e.DataStart, e.DataLength), $"{path}: d range outside the payload");
        FuzzFailureException.Check(e.HasSeq || e.Seq == -1, $"{path}: a seq without an s key");
        FuzzFailureException.Check(e.TypeStart >= 0 || e.Kind == EventKind.None, $"{path}: a kind without a t");
    }

    private static bool InRange(int length, int start, int count) =>
        start == -1 || (start >= 0 && count >= 0 && (long)start + count <= length);

    private static void SameHeader(Envelope a, Envelope b, string what) =>
        FuzzFailureException.Check(
            a.Op == b.Op && a.Seq == b.Seq && a.SeqStart == b.SeqStart && a.SeqLength == b.SeqLength
            && a.TypeStart == b.TypeStart && a.TypeLength == b.TypeLength && a.Kind == b.Kind,
            what);

    private static void Same(Envelope a, Envelope b, string what) =>
        FuzzFailureException.Check(
            a.Op == b.Op && a.Seq == b.Seq && a.SeqStart == b.SeqStart && a.SeqLength == b.SeqLength
            && a.TypeStart == b.TypeStart && a.TypeLength == b.TypeLength && a.DataStart == b.DataStart
            && a.DataLength == b.DataLength && a.Kind == b.Kind,
            what);
}
