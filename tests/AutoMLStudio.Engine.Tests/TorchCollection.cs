namespace AutoMLStudio.Engine.Tests;

/// <summary>
/// Tests that use torch run one at a time: the default generator and the thread count are process-wide, so a parallel
/// test would change what a determinism test draws.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchCollection
{
    public const string Name = "Torch";
}
