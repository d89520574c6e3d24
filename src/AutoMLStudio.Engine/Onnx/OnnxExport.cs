using AutoMLStudio.Engine.Models;
using AutoMLStudio.Engine.Spaces;
using AutoMLStudio.Engine.Tabular;
using AutoMLStudio.Engine.Training;
using static TorchSharp.torch;

namespace AutoMLStudio.Engine.Onnx;

/// <summary>
/// Exports the Engine's trained modules as self-contained ONNX models (IR version 7, opset 13, producer
/// "AutoMLStudio"): every weight is an initializer inside the file, preprocessing that the module does itself
/// (image normalisation) is in the graph, and the outputs are probabilities or values in the target's units, so a
/// runtime needs nothing but the file. The batch dimension is the symbolic "N".
/// </summary>
public static class OnnxExport
{
    /// <summary>
    /// An image classifier built by <see cref="CnnModelFactory.Build"/>. Input <c>pixels</c>: float32
    /// [N, C, H, W] at the architecture's input size, scaled to [0, 1] (mean/std normalisation is in the graph).
    /// Output <c>probabilities</c>: float32 [N, classes], a softmax over the logits. Dropout is left out (inference).
    /// </summary>
    /// <param name="architecture">The architecture <paramref name="model"/> was built from.</param>
    /// <param name="model">The module, with its trained weights loaded; on any device.</param>
    /// <returns>The serialised ModelProto.</returns>
    /// <exception cref="ArgumentException">The module's tensors do not match the architecture.</exception>
    public static byte[] ImageClassifier(CnnArchitecture architecture, nn.Module<Tensor, Tensor> model)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(model);
        return model is Backbones.BackboneClassifier backbone ? Backbone(backbone) : ImageClassifierGraph.Build(architecture, model);
    }

    /// <summary>
    /// A pretrained backbone with its new head, built by <see cref="Backbones.BackboneFactory.Build"/>. Input
    /// <c>pixels</c>: float32 [N, C, H, W] at the spec's input size, scaled to [0, 1]; the resize to the working size,
    /// the channel adaptation and ImageNet's normalisation are in the graph, as in the module. Output
    /// <c>probabilities</c>: float32 [N, classes], a softmax over the logits. Dropout is left out (inference). The
    /// weights are initializers inside the file: about 45 MB for ResNet-18, 9 MB for MobileNetV2.
    /// </summary>
    /// <param name="model">The module, with its trained weights loaded; on any device.</param>
    /// <returns>The serialised ModelProto.</returns>
    /// <exception cref="ArgumentException">The module's tensors do not match its architecture.</exception>
    public static byte[] Backbone(Backbones.BackboneClassifier model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return BackboneGraph.Build(model);
    }

    /// <summary>
    /// A tabular model. Inputs: <c>numeric</c> float32 [N, F], the numeric features already standardised by the
    /// model's <see cref="TabularPreprocessingPlan"/> (present only when F &gt; 0), and <c>categorical</c> int64
    /// [N, C], each column's embedding index from the plan (present only when C &gt; 0). Output for classification:
    /// <c>probabilities</c> float32 [N, classes]; for regression: <c>value</c> float32 [N, 1] in the target's own units.
    /// </summary>
    /// <param name="model">The module, with its trained weights loaded; on any device.</param>
    /// <param name="target">The plan's target scaling (<c>Target</c>); required for regression, ignored for classification.</param>
    /// <returns>The serialised ModelProto.</returns>
    /// <exception cref="ArgumentException">A regression model without <paramref name="target"/>, or tensors that do not match the module's architecture.</exception>
    public static byte[] TabularModel(TabularMlp model, StandardScaling? target)
    {
        ArgumentNullException.ThrowIfNull(model);
        return TabularModelGraph.Build(model, target);
    }

    /// <summary>
    /// A text classifier. Input <c>ids</c>: int64 [N, L], the ids <see cref="Text.TextClassifierArchitecture.Encode"/>
    /// gives each text (with bigram ids when the model uses them), right-padded with 0; L is the symbolic "L". Output
    /// <c>probabilities</c>: float32 [N, classes]. Dropout is left out (inference).
    /// </summary>
    /// <param name="model">The module, with its trained weights loaded; on any device.</param>
    /// <returns>The serialised ModelProto.</returns>
    /// <exception cref="ArgumentException">The module's tensors do not match its architecture.</exception>
    // The parameter's type keeps its namespace: inside this class the bare name is the method.
    public static byte[] TextClassifier(Text.TextClassifier model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return TextClassifierGraph.Build(model);
    }

    /// <summary>
    /// Names of the tensors in <paramref name="onnxModel"/> whose data is stored outside the file
    /// (<c>data_location = EXTERNAL</c>): initializers, and equally constants in node attributes, subgraphs, functions
    /// and training graphs, which a runtime would load from paths the file names (an unnamed attribute constant is
    /// reported as <c>node.attribute</c>). Empty for every model this class exports.
    /// </summary>
    /// <param name="onnxModel">The bytes of a serialised ModelProto.</param>
    /// <returns>The names, in file order.</returns>
    /// <exception cref="InvalidDataException">The bytes are not a well-formed ONNX protobuf with an IR version and a graph.</exception>
    public static IReadOnlyList<string> ExternalDataTensors(byte[] onnxModel)
    {
        ArgumentNullException.ThrowIfNull(onnxModel);
        return OnnxExternalData.Tensors(onnxModel);
    }
}
