using System.Text.Json;
using AutoMLStudio.Core.Searches;
using AutoMLStudio.Engine.Models;
using AutoMLStudio.Engine.Onnx;
using AutoMLStudio.Engine.Spaces;
using AutoMLStudio.Engine.Tabular;
using AutoMLStudio.Engine.Text;
using TorchSharp;

namespace AutoMLStudio.Core.Registry;

/// <summary>Rebuilds a trained network from its stored configuration and weights and writes it as an ONNX graph.</summary>
public static class OnnxModelExport
{
    /// <param name="target">Tabular regression: the target's standardisation, undone inside the graph.</param>
    public static byte[] Export(string task, string configJson, string weightsPath, Engine.Training.StandardScaling? target = null)
    {
        using var scope = torch.NewDisposeScope();
        if (task == SearchTasks.TextClassification)
        {
            using var text = new TextClassifier(Read<TextTrialConfig>(configJson).Architecture);
            text.load(weightsPath);
            text.eval();
            return OnnxExport.TextClassifier(text);
        }
        if (SearchTasks.UsesRows(task))
        {
            using var tabular = new TabularMlp(Read<TabularTrialConfig>(configJson).Architecture);
            tabular.load(weightsPath);
            tabular.eval();
            return OnnxExport.TabularModel(tabular, target);
        }
        var architecture = Read<TrialConfig>(configJson).Architecture;
        using var image = CnnModelFactory.Build(architecture);
        image.load(weightsPath);
        image.eval();
        return OnnxExport.ImageClassifier(architecture, image);
    }

    private static T Read<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, EngineJson.Options) ?? throw new InvalidDataException("The model has no configuration.");
}
