using System.IO.Compression;
using System.Text;
using AutoMLStudio.Core.Searches;
using AutoMLStudio.Core.Searches.Pipelines;

namespace AutoMLStudio.Core.Registry;

/// <summary>
/// A model ready to run outside the studio: the ONNX graph, the model card, the preprocessing (tabular and text),
/// the labels in output order and a README with ONNX Runtime code for C# and Python.
/// </summary>
public static class ModelBundle
{
    public static void Write(Stream zip, string folder, ModelVersion version, ModelCard card)
    {
        using var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true);
        archive.CreateEntryFromFile(Path.Combine(folder, ModelFiles.Onnx), ModelFiles.Onnx, CompressionLevel.Fastest);
        Add(archive, ModelFiles.Card, card.ToJson());
        if (version.PreprocessingSha256 is not null)
            archive.CreateEntryFromFile(Path.Combine(folder, ModelFiles.Preprocessing), ModelFiles.Preprocessing, CompressionLevel.Fastest);
        if (card.Classes.Count > 0) Add(archive, "labels.txt", string.Join('\n', card.Classes) + "\n");
        Add(archive, "README.md", Readme(card));
    }

    private static void Add(ZipArchive archive, string name, string text)
    {
        using var writer = new StreamWriter(archive.CreateEntry(name, CompressionLevel.Fastest).Open(), new UTF8Encoding(false));
        writer.Write(text);
    }

    public static string Readme(ModelCard card)
    {
        var text = new StringBuilder();
        text.AppendLine($"# {card.Name} v{card.Version}").AppendLine();
        text.AppendLine($"Task: {card.Task.Name()}. Trained by AutoML Studio (search {card.Lineage.SearchId}, trial {card.Lineage.TrialNumber}).");
        if (card.IntendedUse is { } use) text.AppendLine().AppendLine($"Intended use: {use}");
        text.AppendLine().AppendLine("Files: `model.onnx` (ONNX, opset 13), `model.json` (the model card: classes, input, metrics, architecture)" +
                                     (card.Rows is null ? "" : ", `preprocessing.json` (how fields become inputs)") +
                                     (card.Classes.Count > 0 ? ", `labels.txt` (class names in output order)" : "") + ".").AppendLine();
        TaskPipelines.ModelsOf(card.Task).WriteUsage(text, card);
        return text.ToString();
    }

    internal static void ImageSection(StringBuilder text, ModelInput input)
    {
        var gray = input.Channels == 1;
        text.AppendLine("## Input and output").AppendLine();
        text.AppendLine($"Input `pixels`: float32[N, {input.Channels}, {input.Height}, {input.Width}], {(gray ? "grayscale (0.299 R + 0.587 G + 0.114 B)" : "RGB planes")}, " +
                        $"pixel values scaled to [0, 1], the image stretched to {input.Width}×{input.Height}. Normalization is inside the graph. " +
                        "Output `probabilities`: float32[N, classes], in the order of labels.txt. The studio resizes with Mitchell cubic " +
                        "filtering (SkiaSharp); other filters give slightly different probabilities.").AppendLine();
        text.AppendLine("## C# (Microsoft.ML.OnnxRuntime, SkiaSharp)").AppendLine();
        text.AppendLine($$"""
            ```csharp
            using Microsoft.ML.OnnxRuntime;
            using Microsoft.ML.OnnxRuntime.Tensors;
            using SkiaSharp;

            var labels = File.ReadAllLines("labels.txt");
            using var session = new InferenceSession("model.onnx");
            using var image = SKBitmap.Decode("input.png").Resize(new SKImageInfo({{input.Width}}, {{input.Height}}), new SKSamplingOptions(SKCubicResampler.Mitchell));
            var pixels = new DenseTensor<float>([1, {{input.Channels}}, {{input.Height}}, {{input.Width}}]);
            for (var y = 0; y < {{input.Height}}; y++)
            for (var x = 0; x < {{input.Width}}; x++)
            {
                var c = image.GetPixel(x, y);
            {{(gray
                ? "    pixels[0, 0, y, x] = (0.299f * c.Red + 0.587f * c.Green + 0.114f * c.Blue) / 255f;"
                : "    pixels[0, 0, y, x] = c.Red / 255f; pixels[0, 1, y, x] = c.Green / 255f; pixels[0, 2, y, x] = c.Blue / 255f;")}}
            }
            using var results = session.Run([NamedOnnxValue.CreateFromTensor("pixels", pixels)]);
            var probabilities = results[0].AsEnumerable<float>().ToArray();
            var best = Array.IndexOf(probabilities, probabilities.Max());
            Console.WriteLine($"{labels[best]} {probabilities[best]:P1}");
            ```
            """).AppendLine();
        text.AppendLine("## Python (onnxruntime, numpy, Pillow)").AppendLine();
        text.AppendLine($$"""
            ```python
            import numpy as np, onnxruntime as ort
            from PIL import Image

            labels = open("labels.txt").read().splitlines()
            session = ort.InferenceSession("model.onnx")
            image = Image.open("input.png").convert("RGB").resize(({{input.Width}}, {{input.Height}}), Image.BICUBIC)
            rgb = np.asarray(image, dtype=np.float32) / 255.0
            {{(gray ? "pixels = (rgb @ np.array([0.299, 0.587, 0.114], dtype=np.float32))[None, None]" : "pixels = rgb.transpose(2, 0, 1)[None]")}}
            probabilities = session.run(None, {"pixels": pixels.astype(np.float32)})[0][0]
            print(labels[int(probabilities.argmax())], float(probabilities.max()))
            ```
            """);
    }

    internal static void TabularSection(StringBuilder text, ModelCard card)
    {
        var regression = card.Classes.Count == 0;
        text.AppendLine("## Input and output").AppendLine();
        text.AppendLine("Inputs: `numeric` float32[N, F] and `categorical` int64[N, C] (each present only when the model has such inputs), built from " +
                        $"the columns {string.Join(", ", card.Rows?.Fields ?? [])} by the rules in preprocessing.json: for each entry of `numeric`, " +
                        "the column's number (or for `part` \"missing\" 1 when the cell is empty, else 0; date parts from a date), a missing number " +
                        "replaced by `median`, then `(x - scaling.mean) / scaling.scale` clipped to ±20; for each entry of `categorical`, the index of " +
                        "the cell in `vocabulary` plus 2 (0 for a value not in it, 1 for an empty cell). " +
                        (regression ? "Output `value`: float32[N, 1] in the target's own units." : "Output `probabilities`: float32[N, classes] in the order of labels.txt."))
            .AppendLine();
        text.AppendLine("## Python (onnxruntime, numpy)").AppendLine();
        text.AppendLine("""
            ```python
            import json, numpy as np, onnxruntime as ort

            plan = json.load(open("preprocessing.json"))
            session = ort.InferenceSession("model.onnx")
            row = {"column": "value"}  # one row: every column the model reads, None for unknown

            def number(cell):
                try: return float(cell)
                except (TypeError, ValueError): return None

            numeric = []
            for f in plan["numeric"]:
                x = number(row.get(f["column"]))
                if f["part"] in ("missing", "date-missing"): value = 1.0 if x is None else 0.0
                else: value = f["median"] if x is None else x   # date parts: see the card
                s = f["scaling"]
                numeric.append(max(-20.0, min(20.0, (value - s["mean"]) / s["scale"])))
            categorical = []
            for c in plan["categorical"]:
                cell = row.get(c["column"])
                cell = None if cell is None or str(cell).strip() == "" else str(cell).strip()
                categorical.append(1 if cell is None else (c["vocabulary"].index(cell) + 2 if cell in c["vocabulary"] else 0))
            inputs = {i.name: (np.array([numeric], np.float32) if i.name == "numeric" else np.array([categorical], np.int64)) for i in session.get_inputs()}
            print(session.run(None, inputs)[0][0])
            ```
            """).AppendLine();
        text.AppendLine("## C# (Microsoft.ML.OnnxRuntime)").AppendLine();
        text.AppendLine("""
            ```csharp
            using Microsoft.ML.OnnxRuntime;
            using Microsoft.ML.OnnxRuntime.Tensors;

            using var session = new InferenceSession("model.onnx");
            float[] numeric = /* built as described above */ [];
            long[] categorical = /* built as described above */ [];
            var inputs = new List<NamedOnnxValue>();
            if (session.InputMetadata.ContainsKey("numeric")) inputs.Add(NamedOnnxValue.CreateFromTensor("numeric", new DenseTensor<float>(numeric, [1, numeric.Length])));
            if (session.InputMetadata.ContainsKey("categorical")) inputs.Add(NamedOnnxValue.CreateFromTensor("categorical", new DenseTensor<long>(categorical, [1, categorical.Length])));
            using var results = session.Run(inputs);
            Console.WriteLine(string.Join(", ", results[0].AsEnumerable<float>()));
            ```
            """);
    }

    internal static void TextSection(StringBuilder text)
    {
        text.AppendLine("## Input and output").AppendLine();
        text.AppendLine("Input `ids`: int64[N, L], 0 pads. Words are runs of letters, marks and digits (inner apostrophes kept), lower-cased; each " +
                        "becomes its id in preprocessing.json's vocabulary (1 when unknown), cut to the architecture's `maxLength` (model.json, " +
                        "configuration.architecture). Words take their index in `vocabulary` plus 2. With `bigramBuckets` > 0 the embedding-bag model also reads one id per adjacent word pair " +
                        "(see model.json). Output `probabilities`: float32[N, classes] in the order of labels.txt.").AppendLine();
        text.AppendLine("## Python (onnxruntime, numpy)").AppendLine();
        text.AppendLine("""
            ```python
            import json, re, numpy as np, onnxruntime as ort

            tokenizer = json.load(open("preprocessing.json"))
            ids_of = {w: i + 2 for i, w in enumerate(tokenizer["vocabulary"])}  # 0 pads, 1 is unknown
            session = ort.InferenceSession("model.onnx")
            labels = open("labels.txt").read().splitlines()
            words = re.findall(r"[\w']+", "the text to classify".lower())
            ids = np.array([[ids_of.get(w, 1) for w in words] or [0]], dtype=np.int64)
            probabilities = session.run(None, {"ids": ids})[0][0]
            print(labels[int(probabilities.argmax())], float(probabilities.max()))
            ```
            """).AppendLine();
        text.AppendLine("## C# (Microsoft.ML.OnnxRuntime)").AppendLine();
        text.AppendLine("""
            ```csharp
            using Microsoft.ML.OnnxRuntime;
            using Microsoft.ML.OnnxRuntime.Tensors;

            using var session = new InferenceSession("model.onnx");
            long[] ids = /* word ids as described above */ [2, 17, 5];
            using var results = session.Run([NamedOnnxValue.CreateFromTensor("ids", new DenseTensor<long>(ids, [1, ids.Length]))]);
            Console.WriteLine(string.Join(", ", results[0].AsEnumerable<float>()));
            ```
            """);
    }
}
