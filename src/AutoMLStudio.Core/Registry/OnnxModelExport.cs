using AutoMLStudio.Core.Searches.Pipelines;

namespace AutoMLStudio.Core.Registry;

/// <summary>Rebuilds a trained network from its stored configuration and weights and writes it as an ONNX graph.</summary>
public static class OnnxModelExport
{
    /// <param name="target">Tabular regression: the target's standardisation, undone inside the graph.</param>
    public static byte[] Export(Searches.SearchTask task, string configJson, string weightsPath, Engine.Training.StandardScaling? target = null)
        => TaskPipelines.ShapeOf(task).ExportOnnx(task, configJson, weightsPath, target);
}
