using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoMLStudio.Engine.Onnx;

/// <summary>
/// An <see cref="OnnxGraph"/> being built from a TorchSharp module: the layers shared by every exporter, with their
/// weights read from the module's state dict under the module's own names. A name the module lacks, or a weight of
/// another shape than the architecture says, means the module was not built from that architecture; that is an
/// <see cref="ArgumentException"/> rather than a graph that fails later in a runtime.
/// </summary>
internal sealed class ModuleGraph
{
    private readonly Dictionary<string, Tensor> _state;
    private readonly Dictionary<string, nn.Module> _modules;

    public ModuleGraph(string name, nn.Module module)
    {
        Graph = new OnnxGraph(name);
        _state = module.state_dict();
        _modules = module.named_modules().ToDictionary(m => m.name, m => m.module);
    }

    public OnnxGraph Graph { get; }

    /// <summary>The module tensor <paramref name="name"/> as an initializer of the same name.</summary>
    public string Parameter(string name, params long[] expectedShape)
    {
        var (values, shape) = Floats(name);
        if (expectedShape.Length > 0 && !shape.SequenceEqual(expectedShape))
            throw Mismatch($"'{name}' has shape [{string.Join(", ", shape)}], not [{string.Join(", ", expectedShape)}]");
        return Graph.Initializer(name, values, shape);
    }

    public bool Has(string name) => _state.ContainsKey(name);

    public (float[] Values, long[] Shape) Floats(string name)
    {
        if (!_state.TryGetValue(name, out var tensor)) throw Mismatch($"it has no tensor '{name}'");
        using var scope = torch.NewDisposeScope();
        var values = tensor.detach().cpu().to_type(ScalarType.Float32).contiguous();
        return (values.data<float>().ToArray(), tensor.shape);
    }

    /// <summary><c>torch.nn.Linear</c> at <paramref name="path"/>: <c>x W^T + b</c> as one Gemm.</summary>
    public string Linear(string path, string input, long inputs, long outputs)
    {
        var weight = Parameter($"{path}.weight", outputs, inputs);
        var bias = Has($"{path}.bias") ? Parameter($"{path}.bias", outputs) : "";
        return Graph.Node("Gemm", path, bias.Length > 0 ? [input, weight, bias] : [input, weight], OnnxAttribute.Int("transB", 1));
    }

    /// <summary>
    /// Batch norm at <paramref name="path"/> with its running statistics (inference). The epsilon is read from the
    /// module rather than assumed, so a layer built with another one still exports what it computes.
    /// </summary>
    public string BatchNorm(string path, string input, long channels)
    {
        if (!_modules.TryGetValue(path, out var module) || module is not NormBase norm) throw Mismatch($"it has no batch norm '{path}'");
        string[] inputs =
        [
            input,
            Parameter($"{path}.weight", channels),
            Parameter($"{path}.bias", channels),
            Parameter($"{path}.running_mean", channels),
            Parameter($"{path}.running_var", channels),
        ];
        return Graph.Node("BatchNormalization", path, inputs, OnnxAttribute.Float("epsilon", (float)norm.eps));
    }

    /// <summary>
    /// <c>torch.nn.Conv2d</c> at <paramref name="path"/>, with its kernel, stride, padding, dilation and groups read
    /// from the module, so the node computes what the module does whatever it was built with.
    /// </summary>
    public string Conv(string path, string input)
    {
        if (!_modules.TryGetValue(path, out var module) || module is not Conv2d conv) throw Mismatch($"it has no convolution '{path}'");
        if (conv.padding is not { } padding || conv.padding_mode != PaddingModes.Zeros) throw Mismatch($"'{path}' pads otherwise than with explicit zeros");
        var weight = Parameter($"{path}.weight", conv.out_channels, conv.in_channels / conv.groups, conv.kernel_size[0], conv.kernel_size[1]);
        string[] inputs = conv.bias is null ? [input, weight] : [input, weight, Parameter($"{path}.bias", conv.out_channels)];
        return Graph.Node("Conv", path, inputs,
            OnnxAttribute.Ints("kernel_shape", conv.kernel_size),
            OnnxAttribute.Ints("strides", conv.stride),
            OnnxAttribute.Ints("pads", [.. padding, .. padding]), // begins, then ends
            OnnxAttribute.Ints("dilations", conv.dilation),
            OnnxAttribute.Int("group", conv.groups));
    }

    /// <summary>The submodule at <paramref name="path"/>, for exporters that walk a module's structure.</summary>
    public nn.Module Module(string path) =>
        _modules.TryGetValue(path, out var module) ? module : throw Mismatch($"it has no module '{path}'");

    public string Relu(string path, string input) => Graph.Node("Relu", path, [input]);

    public string Softmax(string output, string logits) => Graph.Node("Softmax", output, [logits], OnnxAttribute.Int("axis", 1));

    private static ArgumentException Mismatch(string what) =>
        new($"The module does not match its architecture: {what}. Export the module that was built from this architecture.");
}
