using AutoMLStudio.Engine.Models;
using AutoMLStudio.Engine.Native;
using AutoMLStudio.Engine.Onnx;
using AutoMLStudio.Engine.Spaces;
using TorchSharp;
using Xunit.Abstractions;

namespace AutoMLStudio.Engine.Tests.Onnx;

[Collection(TorchCollection.Name)]
public sealed class ImageClassifierExportTests
{
    private readonly ITestOutputHelper _output;

    public ImageClassifierExportTests(ITestOutputHelper output)
    {
        _output = output;
        TorchNative.EnsureLoaded();
    }

    private static readonly float[] GrayMean = [0.45f], GrayStd = [0.25f];
    private static readonly float[] RgbMean = [0.5f, 0.4f, 0.3f], RgbStd = [0.2f, 0.25f, 0.3f];

    private static CnnArchitecture Cells(int channels, int size, IReadOnlyList<CellStage> stages, bool batchNorm, string head = "flatten", int dense = 0) =>
        new(channels, size, 3, [], dense, 0.2, channels == 1 ? GrayMean : RgbMean, channels == 1 ? GrayStd : RgbStd, stages, batchNorm, head);

    private static CnnArchitecture Plain(int channels, IReadOnlyList<ConvBlockSpec> blocks, int dense) =>
        new(channels, 8, 4, blocks, dense, 0.3, channels == 1 ? GrayMean : RgbMean, channels == 1 ? GrayStd : RgbStd);

    public static TheoryData<string, bool> CellOperations()
    {
        var data = new TheoryData<string, bool>();
        foreach (var op in CellOps.All)
        {
            data.Add(op, true);
            data.Add(op, false);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(CellOperations))]
    public void Every_cell_operation_gives_torchs_probabilities_with_and_without_batch_norm(string op, bool batchNorm)
    {
        // 3 channels into width 4: the first block changes width (a projection for pooling and identity), the second
        // keeps it (a residual block); a second stage repeats the op at a wider width after a downsampling.
        var architecture = Cells(3, 8, [new CellStage(4, [op, op], "max"), new CellStage(6, [op], "none")], batchNorm);

        AssertMatches(architecture, batch: 3, seed: 11);
    }

    [Theory]
    [InlineData("max", 1)]
    [InlineData("avg", 3)]
    [InlineData("stride", 1)]
    [InlineData("stride", 3)]
    public void Every_downsampling_gives_torchs_probabilities_on_an_odd_input_size(string downsample, int channels)
    {
        var architecture = Cells(channels, 9, [new CellStage(4, [CellOps.Conv3], downsample), new CellStage(5, [CellOps.AvgPool3], downsample)], batchNorm: true);

        AssertMatches(architecture, batch: 3, seed: 12);
    }

    [Theory]
    [InlineData("flatten", 0)]
    [InlineData("flatten", 6)]
    [InlineData("gap", 0)]
    [InlineData("gap", 6)]
    public void Every_head_gives_torchs_probabilities_with_and_without_a_dense_layer(string head, int dense)
    {
        var architecture = Cells(1, 8, [new CellStage(4, [CellOps.SepConv3, CellOps.Identity, CellOps.MaxPool3], "avg")], batchNorm: true, head, dense);

        AssertMatches(architecture, batch: 1, seed: 13);
    }

    [Theory]
    [InlineData(1, 0, 1)]
    [InlineData(1, 8, 3)]
    [InlineData(3, 0, 3)]
    [InlineData(3, 8, 1)]
    public void Plain_blocks_with_and_without_batch_norm_and_pooling_give_torchs_probabilities(int channels, int dense, int batch)
    {
        var architecture = Plain(channels,
            [new ConvBlockSpec(4, 3, BatchNorm: true, Pool: true), new ConvBlockSpec(5, 5, BatchNorm: false, Pool: false), new ConvBlockSpec(3, 1, BatchNorm: false, Pool: true)],
            dense);

        AssertMatches(architecture, batch, seed: 14);
    }

    [Fact]
    public void Exported_model_declares_pixels_with_a_symbolic_batch_and_one_probability_per_class()
    {
        var architecture = Cells(3, 8, [new CellStage(4, [CellOps.Conv3], "max")], batchNorm: true);
        torch.manual_seed(1);
        using var model = CnnModelFactory.Build(architecture);

        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(OnnxExport.ImageClassifier(architecture, model));

        var pixels = Assert.Single(session.InputMetadata);
        Assert.Equal("pixels", pixels.Key);
        Assert.Equal(typeof(float), pixels.Value.ElementType);
        Assert.Equal([-1, 3, 8, 8], pixels.Value.Dimensions);
        Assert.Equal("N", pixels.Value.SymbolicDimensions[0]);
        var probabilities = Assert.Single(session.OutputMetadata);
        Assert.Equal("probabilities", probabilities.Key);
        Assert.Equal([-1, 3], probabilities.Value.Dimensions);
        Assert.Equal("AutoMLStudio", session.ModelMetadata.ProducerName);
    }

    [Fact]
    public void A_module_of_another_architecture_is_refused()
    {
        var built = Cells(3, 8, [new CellStage(4, [CellOps.Conv3], "none")], batchNorm: true);
        torch.manual_seed(1);
        using var model = CnnModelFactory.Build(built);

        var error = Assert.Throws<ArgumentException>(() => OnnxExport.ImageClassifier(built with { Stages = [new CellStage(5, [CellOps.Conv3], "none")] }, model));

        Assert.Contains("s1b1.op.conv.weight", error.Message);
    }

    private void AssertMatches(CnnArchitecture architecture, int batch, int seed)
    {
        torch.manual_seed(seed);
        using var model = CnnModelFactory.Build(architecture);
        OnnxParity.RandomizeBatchNorms(model);
        model.eval();
        using var scope = torch.NewDisposeScope();
        var pixels = torch.rand(batch, architecture.InputChannels, architecture.InputSize, architecture.InputSize);

        var onnx = OnnxExport.ImageClassifier(architecture, model);
        var expected = torch.nn.functional.softmax(model.forward(pixels), 1);
        var difference = OnnxParity.MaxDifference(expected, OnnxParity.Run(onnx, "probabilities", ("pixels", pixels)));

        _output.WriteLine($"largest difference {difference:E2}");
        Assert.True(difference < OnnxParity.Tolerance, $"largest difference {difference:E2}");
    }
}
