namespace GatewayProxy.Fuzz.Harnesses;

/// <summary>One fuzz target: a name (the corpus folder and the command-line argument) and its harness body.</summary>
public sealed record FuzzTarget(string Name, string Description, FuzzBody Run);
