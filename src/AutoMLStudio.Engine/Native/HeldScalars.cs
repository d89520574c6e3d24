using TorchSharp;

namespace AutoMLStudio.Engine.Native;

/// <summary>
/// Scalars that live as long as the process. TorchSharp turns numbers into <see cref="Scalar"/> objects inline (the
/// implicit alpha of 1 in <c>a + b</c>, <c>1 - m</c>) and keeps no reference while libtorch reads them, so the finalizer can
/// free one mid-call (see <see cref="Training.StableOptimizer"/>); a static one is never finalized.
/// </summary>
internal static class HeldScalars
{
    public static readonly Scalar One = 1.0.ToScalar();
    public static readonly Scalar OneInteger = 1L.ToScalar();
    public static readonly Scalar PaddingId = (long)Text.TextTokenizer.PaddingId;
}
