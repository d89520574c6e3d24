using System.Text.Json;
using AutoMLStudio.Core.Registry;
using AutoMLStudio.Core.Searches;
using AutoMLStudio.Engine.Data;
using AutoMLStudio.Engine.Spaces;
using AutoMLStudio.Engine.Tabular;
using AutoMLStudio.Engine.Text;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace AutoMLStudio.Core.Hosting;

/// <summary>
/// A registered model version loaded into ONNX Runtime with its preprocessing: one session, created once and shared by
/// every request (<see cref="InferenceSession.Run(IReadOnlyCollection{NamedOnnxValue})"/> is thread-safe).
/// Inputs are checked before they reach the session, so bad input is a <see cref="UserInputException"/>.
/// </summary>
public sealed class ModelPredictor : IDisposable
{
    /// <summary>Most instances or images in one request; larger batches belong to batch prediction.</summary>
    public const int MaxInstances = 256;

    private readonly InferenceSession _session;
    private readonly TabularPreprocessingPlan? _plan;
    private readonly TextTokenizer? _tokenizer;
    private readonly TextClassifierArchitecture? _text;

    public ModelPredictor(ModelCard card, byte[] onnx, string? preprocessingJson, int threads = 1)
    {
        Card = card;
        if (card.Task == SearchTasks.TextClassification)
        {
            _tokenizer = TextTokenizer.FromJson(preprocessingJson ?? throw new InvalidDataException("A text model needs its tokenizer."));
            _text = card.Configuration.Deserialize<TextTrialConfig>(EngineJson.Options)!.Architecture;
        }
        else if (SearchTasks.UsesRows(card.Task))
        {
            _plan = TabularPreprocessingPlan.FromJson(preprocessingJson ?? throw new InvalidDataException("A tabular model needs its preprocessing."));
        }
        // One thread per run: many requests run side by side, and each small model finishes fastest on its caller's thread.
        using var options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(onnx, options);
    }

    public ModelCard Card { get; }

    public bool TakesImages => Card.Input is not null;

    /// <summary>Predicts encoded images (PNG, JPEG, BMP, WebP, GIF); <paramref name="names"/> name them in messages.</summary>
    public IReadOnlyList<Prediction> PredictImages(IReadOnlyList<byte[]> images, IReadOnlyList<string> names)
    {
        var input = Card.Input ?? throw new UserInputException("Images not accepted",
            $"This endpoint's model reads {Describe()}, not images: send JSON {{\"instances\": [...]}}.", 415);
        CheckCount(images.Count, "images");
        var plane = input.Channels * input.Height * input.Width;
        var pixels = new float[images.Count * plane];
        for (var i = 0; i < images.Count; i++)
            PredictionImages.DecodeToChw(images[i], names[i], input.Channels, input.Height).CopyTo(pixels, i * plane);
        var tensor = new DenseTensor<float>(pixels, [images.Count, input.Channels, input.Height, input.Width]);
        return Run([NamedOnnxValue.CreateFromTensor("pixels", tensor)], images.Count);
    }

    /// <summary>Predicts JSON instances: objects of column values (tabular) or <c>{"text": "..."}</c> (text).</summary>
    public IReadOnlyList<Prediction> PredictInstances(IReadOnlyList<JsonElement> instances)
    {
        if (TakesImages)
            throw new UserInputException("Instances not accepted",
                "This endpoint's model reads images: send them as multipart form files named \"file\", or as base64 in {\"images\": [\"...\"]}.", 415);
        CheckCount(instances.Count, "instances");
        return _tokenizer is not null ? PredictTexts(instances) : PredictRows(instances);
    }

    /// <summary>What an instance must carry, in words.</summary>
    public string Describe() => TakesImages
        ? $"{Card.Input!.ColorMode} images, resized to {Card.Input.Width}×{Card.Input.Height}"
        : _tokenizer is not null ? "texts as {\"text\": \"...\"}" : $"rows with the columns {string.Join(", ", Card.Rows?.Fields ?? [])}";

    private IReadOnlyList<Prediction> PredictTexts(IReadOnlyList<JsonElement> instances)
    {
        var encoded = new List<int[]>(instances.Count);
        for (var i = 0; i < instances.Count; i++)
        {
            var instance = Object(instances[i], i);
            if (!instance.TryGetProperty("text", out var text) || text.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                throw new UserInputException("Text missing", $"Instance {i} has no \"text\" string. Send {{\"instances\": [{{\"text\": \"...\"}}]}}.");
            encoded.Add(_text!.Encode(_tokenizer!, text.GetString()));
        }
        // An empty text still needs one position; the padding id 0 reads as "no words" inside the graph.
        var length = Math.Max(1, encoded.Max(e => e.Length));
        var ids = new long[instances.Count * length];
        for (var i = 0; i < encoded.Count; i++)
            for (var j = 0; j < encoded[i].Length; j++) ids[i * length + j] = encoded[i][j];
        return Run([NamedOnnxValue.CreateFromTensor("ids", new DenseTensor<long>(ids, [instances.Count, length]))], instances.Count);
    }

    private IReadOnlyList<Prediction> PredictRows(IReadOnlyList<JsonElement> instances)
    {
        var fields = Card.Rows?.Fields ?? [];
        var rows = new List<IReadOnlyDictionary<string, string?>>(instances.Count);
        for (var i = 0; i < instances.Count; i++)
        {
            var instance = Object(instances[i], i);
            var cells = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var property in instance.EnumerateObject()) cells[property.Name] = Cell(property.Value, i, property.Name);
            var missing = fields.Where(f => !cells.ContainsKey(f)).ToList();
            if (missing.Count > 0)
                throw new UserInputException("Columns missing",
                    $"Instance {i} lacks the column{(missing.Count == 1 ? "" : "s")} {string.Join(", ", missing.Take(10).Select(m => $"\"{m}\""))}. " +
                    "Send every column the model reads (null for an unknown value).");
            rows.Add(cells);
        }
        var features = _plan!.Transform(rows);
        var inputs = new List<NamedOnnxValue>(2);
        if (features.NumericWidth > 0)
            inputs.Add(NamedOnnxValue.CreateFromTensor("numeric", new DenseTensor<float>(features.Numeric, [features.Count, features.NumericWidth])));
        if (features.CategoricalWidth > 0)
            inputs.Add(NamedOnnxValue.CreateFromTensor("categorical", new DenseTensor<long>(features.Categorical, [features.Count, features.CategoricalWidth])));
        return Run(inputs, instances.Count);
    }

    private IReadOnlyList<Prediction> Run(IReadOnlyCollection<NamedOnnxValue> inputs, int count)
    {
        using var results = _session.Run(inputs);
        var output = results[0].AsTensor<float>();
        var predictions = new Prediction[count];
        if (_plan?.Target is not null)
        {
            for (var i = 0; i < count; i++) predictions[i] = new Prediction(null, null, null, output[i, 0]);
            return predictions;
        }
        var classes = Card.Classes;
        for (var i = 0; i < count; i++)
        {
            var scores = new Dictionary<string, double>(classes.Count);
            var best = 0;
            for (var k = 0; k < classes.Count; k++)
            {
                scores[classes[k]] = output[i, k];
                if (output[i, k] > output[i, best]) best = k;
            }
            predictions[i] = new Prediction(classes[best], output[i, best], scores);
        }
        return predictions;
    }

    private static void CheckCount(int count, string what)
    {
        if (count == 0) throw new UserInputException($"No {what}", $"The request carries no {what}; send at least one.");
        if (count > MaxInstances)
            throw new UserInputException($"Too many {what}",
                $"One request can carry at most {MaxInstances} {what}; this one has {count}. Split it, or use batch prediction for large sets.", 413);
    }

    private static JsonElement Object(JsonElement instance, int index) => instance.ValueKind == JsonValueKind.Object
        ? instance
        : throw new UserInputException("Instance not an object", $"Instance {index} is {instance.ValueKind.ToString().ToLowerInvariant()}, not an object of column values.");

    private static string? Cell(JsonElement value, int index, string column) => value.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => throw new UserInputException("Cell not a value",
            $"Instance {index}, column \"{column}\" holds {value.ValueKind.ToString().ToLowerInvariant()}; send a number, a string or null."),
    };

    public void Dispose() => _session.Dispose();
}
