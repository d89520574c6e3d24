using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoMLStudio.Engine.Tests.Onnx;

/// <summary>Runs exported models in ONNX Runtime and compares them with the TorchSharp modules they came from.</summary>
internal static class OnnxParity
{
    public const double Tolerance = 1e-4;

    /// <summary>
    /// Gives every batch norm random statistics and affine weights: a fresh one is the identity (mean 0, variance 1,
    /// scale 1, shift 0), under which a wrong input order or a missing epsilon would still pass.
    /// </summary>
    public static void RandomizeBatchNorms(nn.Module model)
    {
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        foreach (var (_, module) in model.named_modules())
        {
            if (module is not NormBase norm) continue;
            var channels = norm.num_features;
            norm.running_mean!.copy_(torch.randn(channels));
            norm.running_var!.copy_(torch.rand(channels) + 0.5);
            norm.weight.copy_(torch.randn(channels));
            norm.bias!.copy_(torch.randn(channels));
        }
    }

    /// <summary>Runs <paramref name="model"/> in ONNX Runtime and returns its one requested output and that output's shape.</summary>
    public static (float[] Values, long[] Shape) Run(byte[] model, string output, params (string Name, Tensor Value)[] inputs)
    {
        using var session = new InferenceSession(model);
        var values = inputs.Select(i => ToOrt(i.Value)).ToList();
        try
        {
            using var options = new RunOptions();
            using var results = session.Run(options, inputs.Select(i => i.Name).ToArray(), values, [output]);
            var result = results[0];
            return (result.GetTensorDataAsSpan<float>().ToArray(), result.GetTensorTypeAndShape().Shape);
        }
        finally
        {
            foreach (var value in values) value.Dispose();
        }
    }

    /// <summary>The largest absolute difference between the torch result and ONNX Runtime's; asserts the shapes match.</summary>
    public static double MaxDifference(Tensor expected, (float[] Values, long[] Shape) actual)
    {
        Assert.Equal(expected.shape, actual.Shape);
        var torchValues = expected.detach().cpu().contiguous().data<float>().ToArray();
        // Not Enumerable.Max: it skips NaN, and a NaN on either side must fail the comparison.
        var largest = 0.0;
        for (var i = 0; i < torchValues.Length; i++)
        {
            var difference = Math.Abs((double)torchValues[i] - actual.Values[i]);
            if (double.IsNaN(difference)) return double.NaN;
            largest = Math.Max(largest, difference);
        }
        return largest;
    }

    private static OrtValue ToOrt(Tensor tensor)
    {
        var contiguous = tensor.cpu().contiguous();
        return tensor.dtype == ScalarType.Int64
            ? OrtValue.CreateTensorValueFromMemory(contiguous.data<long>().ToArray(), contiguous.shape)
            : OrtValue.CreateTensorValueFromMemory(contiguous.data<float>().ToArray(), contiguous.shape);
    }
}
