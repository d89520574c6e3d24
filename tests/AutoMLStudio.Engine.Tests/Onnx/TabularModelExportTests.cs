using AutoMLStudio.Engine.Native;
using AutoMLStudio.Engine.Onnx;
using AutoMLStudio.Engine.Tabular;
using AutoMLStudio.Engine.Training;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace AutoMLStudio.Engine.Tests.Onnx;

[Collection(TorchCollection.Name)]
public sealed class TabularModelExportTests
{
    private readonly ITestOutputHelper _output;

    public TabularModelExportTests(ITestOutputHelper output)
    {
        _output = output;
        TorchNative.EnsureLoaded();
    }

    private static TabularMlpArchitecture Classifier(int numeric, int[] cardinalities, int hiddenLayers, bool batchNorm) =>
        new(numeric, cardinalities, PredictionTask.Classification, 3, hiddenLayers, 8, batchNorm, 0.2);

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void Classifier_with_embeddings_and_batch_norm_gives_torchs_probabilities(int batch)
    {
        // 40 rows gives an embedding of the capped width 16; the others are narrower.
        var difference = Compare(Classifier(3, [4, 7, 40], hiddenLayers: 2, batchNorm: true), batch, target: null, seed: 21);

        Assert.True(difference < OnnxParity.Tolerance, $"largest difference {difference:E2}");
    }

    [Fact]
    public void Numeric_only_classifier_has_no_categorical_input_and_gives_torchs_probabilities()
    {
        var architecture = Classifier(4, [], hiddenLayers: 1, batchNorm: false);

        var difference = Compare(architecture, batch: 3, target: null, seed: 22);

        Assert.True(difference < OnnxParity.Tolerance, $"largest difference {difference:E2}");
        Assert.Equal(["numeric"], InputNames(architecture));
    }

    [Fact]
    public void Categorical_only_classifier_has_no_numeric_input_and_gives_torchs_probabilities()
    {
        var architecture = Classifier(0, [3, 5], hiddenLayers: 1, batchNorm: true);

        var difference = Compare(architecture, batch: 3, target: null, seed: 23);

        Assert.True(difference < OnnxParity.Tolerance, $"largest difference {difference:E2}");
        Assert.Equal(["categorical"], InputNames(architecture));
    }

    [Fact]
    public void Regression_returns_values_in_the_targets_units()
    {
        var architecture = new TabularMlpArchitecture(2, [6], PredictionTask.Regression, 0, 2, 8, BatchNorm: true, 0);

        var difference = Compare(architecture, batch: 3, new StandardScaling(50, 4), seed: 24);

        Assert.True(difference < OnnxParity.Tolerance, $"largest difference {difference:E2}");
    }

    [Fact]
    public void Regression_without_its_target_scaling_is_refused()
    {
        using var model = new TabularMlp(new TabularMlpArchitecture(2, [], PredictionTask.Regression, 0, 1, 4, false, 0));

        Assert.Throws<ArgumentException>(() => OnnxExport.TabularModel(model, target: null));
    }

    private double Compare(TabularMlpArchitecture architecture, int batch, StandardScaling? target, int seed)
    {
        torch.manual_seed(seed);
        using var model = new TabularMlp(architecture);
        OnnxParity.RandomizeBatchNorms(model);
        model.eval();
        using var scope = torch.NewDisposeScope();
        var numeric = torch.randn(batch, architecture.NumericFeatures);
        var categorical = architecture.Cardinalities.Count == 0
            ? torch.zeros(batch, 0, dtype: ScalarType.Int64)
            : torch.stack(architecture.Cardinalities.Select(c => torch.randint(c, [batch], dtype: ScalarType.Int64)), 1);
        var inputs = new List<(string, Tensor)>();
        if (architecture.NumericFeatures > 0) inputs.Add(("numeric", numeric));
        if (architecture.Cardinalities.Count > 0) inputs.Add(("categorical", categorical));

        var onnx = OnnxExport.TabularModel(model, target);
        var logits = model.forward(numeric, categorical);
        var expected = target is null ? torch.nn.functional.softmax(logits, 1) : logits * target.Scale + target.Mean;
        var actual = OnnxParity.Run(onnx, target is null ? "probabilities" : "value", [.. inputs]);
        var difference = OnnxParity.MaxDifference(expected, actual);

        _output.WriteLine($"largest difference {difference:E2}");
        return difference;
    }

    private static IReadOnlyList<string> InputNames(TabularMlpArchitecture architecture)
    {
        torch.manual_seed(1);
        using var model = new TabularMlp(architecture);
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(OnnxExport.TabularModel(model, null));
        return [.. session.InputNames];
    }
}
