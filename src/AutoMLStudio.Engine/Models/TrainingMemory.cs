using AutoMLStudio.Engine.Spaces;

namespace AutoMLStudio.Engine.Models;

/// <summary>
/// How much device memory a trial needs while it trains, estimated before it runs so that it can be placed on a
/// device where it fits. An estimate, not a measurement: it errs high, because a trial that does not fit fails with
/// an out-of-memory error halfway through, while one placed too cautiously only waits a little longer.
/// </summary>
public static class TrainingMemory
{
    /// <summary>The allocator's caching and cuDNN's workspace, which every trial holds on top of its tensors.</summary>
    public const long WorkspaceBytes = 256L * 1024 * 1024;

    private const int BytesPerValue = 4;
    // Weights, their gradients and the optimizer's two moment buffers (Adam and AdamW; SGD keeps one, so this errs high).
    private const int CopiesPerParameter = 4;
    // Each convolution's output is kept for the backward pass, and so are the batch norm and ReLU outputs after it.
    private const int CopiesPerActivation = 3;

    /// <summary>Bytes a CNN trial needs at <paramref name="batchSize"/>, from the architecture's layer shapes.</summary>
    public static long EstimateBytes(CnnArchitecture architecture, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        var input = (long)architecture.InputChannels * architecture.InputSize * architecture.InputSize;
        long parameters, outputs;
        if (architecture.BackboneSpec() is { } backbone)
        {
            // The backbone's resized three-channel copy of the input is kept too; frozen layers still hold activations
            // while the pass runs, so the estimate does not count on freezing.
            (parameters, outputs) = (Backbones.BackboneCost.CountParameters(backbone), Backbones.BackboneCost.CountConvolutionOutputs(backbone));
            input += 3L * backbone.WorkingSize * backbone.WorkingSize;
        }
        else
        {
            var plan = CnnLayerPlan.For(architecture);
            (parameters, outputs) = (plan.Parameters, plan.OutputElements);
        }
        var activations = (long)Math.Max(1, batchSize) * (input + outputs * CopiesPerActivation);
        return BytesPerValue * (parameters * CopiesPerParameter + activations) + WorkspaceBytes;
    }

    /// <summary>Bytes a tabular or text trial needs: its rows are tiny, so its parameters and the workspace decide.</summary>
    public static long EstimateBytes(long parameters) => BytesPerValue * parameters * CopiesPerParameter + WorkspaceBytes;
}
