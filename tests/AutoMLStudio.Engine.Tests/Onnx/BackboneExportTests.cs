using AutoMLStudio.Engine.Backbones;
using AutoMLStudio.Engine.Native;
using AutoMLStudio.Engine.Onnx;
using AutoMLStudio.Engine.Tests.Backbones;
using TorchSharp;
using Xunit.Abstractions;

namespace AutoMLStudio.Engine.Tests.Onnx;

[Collection(TorchCollection.Name)]
public sealed class BackboneExportTests
{
    private readonly ITestOutputHelper _output;

    public BackboneExportTests(ITestOutputHelper output)
    {
        _output = output;
        TorchNative.EnsureLoaded();
    }

    // ResNet-18 on 28-pixel gray images (resized to 64 inside); MobileNetV2 on RGB at its working size (no resize) and
    // on two-channel images (averaged into gray) that are resized from an odd size.
    [Theory]
    [InlineData(BackboneArchitectures.ResNet18, 1, 28)]
    [InlineData(BackboneArchitectures.MobileNetV2, 3, 64)]
    [InlineData(BackboneArchitectures.MobileNetV2, 2, 37)]
    public void Backbones_give_torchs_probabilities_in_onnx_runtime(string architecture, int channels, int size)
    {
        torch.manual_seed(5);
        using var model = BackboneFactory.Build(new BackboneSpec(architecture, channels, size, 7));
        using var scope = torch.NewDisposeScope();
        var pixels = torch.rand(3, channels, size, size);
        StandInWeights.Apply(model);

        var onnx = OnnxExport.Backbone(model);
        var logits = model.forward(pixels);
        var expected = torch.nn.functional.softmax(logits, 1);
        var difference = OnnxParity.MaxDifference(expected, OnnxParity.Run(onnx, "probabilities", ("pixels", pixels)));

        var spread = StandInWeights.Spread(logits);
        _output.WriteLine($"{onnx.Length / 1e6:F1} MB, largest probability {expected.max().item<float>():F3}, logit spread over the batch {spread:F3}, largest difference {difference:E2}");
        Assert.True(spread > 0.05, "the outputs must depend on the image, or any graph would match them");
        Assert.True(difference < OnnxParity.Tolerance, $"largest difference {difference:E2}");
    }

    [Fact]
    public void The_exported_backbone_declares_pixels_at_the_input_size_with_a_symbolic_batch()
    {
        torch.manual_seed(1);
        using var model = BackboneFactory.Build(new BackboneSpec(BackboneArchitectures.MobileNetV2, 1, 28, 4));

        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(OnnxExport.Backbone(model));

        var pixels = Assert.Single(session.InputMetadata);
        Assert.Equal("pixels", pixels.Key);
        Assert.Equal([-1, 1, 28, 28], pixels.Value.Dimensions);
        Assert.Equal("N", pixels.Value.SymbolicDimensions[0]);
        var probabilities = Assert.Single(session.OutputMetadata);
        Assert.Equal([-1, 4], probabilities.Value.Dimensions);
    }
}
