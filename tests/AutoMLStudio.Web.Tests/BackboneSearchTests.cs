using System.Net;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;

namespace AutoMLStudio.Web.Tests;

/// <summary>Once an admin imports a backbone, image searches fine-tune it beside their own networks, within the search's limits.</summary>
[Collection(StudioCollection.Name)]
public sealed class BackboneSearchTests(StudioApp app)
{
    [Fact]
    public async Task An_imported_backbone_becomes_the_third_trial_of_a_search_trains_registers_and_exports_but_not_under_a_parameter_limit()
    {
        var api = app.Api();
        await (await BackboneImportTests.ImportAsync(api, BackboneImportTests.MobileNetWeights(), "mobilenet_v2.dat", "mobilenet_v2")).JsonAsync(HttpStatusCode.Created);
        try
        {
            var dataset = await api.ImportAsync(TestImages.ClassFolderZip(perClass: 10), "pretrained candidates");
            var datasetId = dataset.GetProperty("id").GetString();
            async Task<string> StartAsync(object? constraints) => (await api.PostJsonAsync("/api/v1/searches", new
            {
                datasetId, seed = 3, algorithm = "random",
                budget = new { maxTrials = 3, maxMinutes = 10, maxEpochsPerTrial = 1 },
                objective = new { metric = "accuracy", constraints },
            }, HttpStatusCode.Created)).GetProperty("id").GetString()!;
            var open = await StartAsync(null);
            var limited = await StartAsync(new { maxParams = 200_000 });

            var done = await api.WaitForSearchEndAsync(open);
            Assert.Equal("completed", done.GetProperty("status").GetString());
            Assert.True(done.GetProperty("usePretrained").GetBoolean());
            var trials = (await api.GetJsonAsync($"/api/v1/searches/{open}/trials")).EnumerateArray().OrderBy(t => t.GetProperty("number").GetInt32()).ToList();
            var backbone = trials[2];
            var config = backbone.GetProperty("config");
            Assert.Equal("mobilenet_v2", config.GetProperty("architecture").GetProperty("backbone").GetString());
            Assert.Contains(config.GetProperty("fineTune").GetProperty("train").GetString(), new[] { "head", "partial", "full" });
            Assert.Equal("completed", backbone.GetProperty("status").GetString());
            var classes = done.GetProperty("best").GetProperty("test").GetProperty("classes").GetArrayLength();
            Assert.Equal(2_223_872 + 1_281 * classes, backbone.GetProperty("params").GetInt64());
            Assert.All(trials.Take(2), t => Assert.False(t.GetProperty("config").GetProperty("architecture").TryGetProperty("backbone", out var name) && name.ValueKind == JsonValueKind.String));
            // Every trial's configuration names its learner, as DESIGN.md lists them for images.
            Assert.Equal("backbone", config.GetProperty("learner").GetString());
            Assert.All(trials.Take(2), t => Assert.Equal("cnn", t.GetProperty("config").GetProperty("learner").GetString()));

            // The fine-tuned backbone registers like any trial and its ONNX file predicts a probability per class.
            var model = await api.PostJsonAsync("/api/v1/models", new { trialId = backbone.GetProperty("id").GetString(), name = "pretrained shapes" }, HttpStatusCode.Created);
            var modelId = model.GetProperty("id").GetString();
            var onnx = await api.GetByteArrayAsync($"/api/v1/models/{modelId}/download?format=onnx");
            using var session = new InferenceSession(onnx);
            var input = session.InputMetadata.Single();
            // The dataset's own images (16x16 RGB) go in; the graph itself upsamples to 64x64 and normalises as ImageNet's weights expect.
            Assert.Equal([-1, 3, 16, 16], input.Value.Dimensions);
            using var pixels = OrtValue.CreateTensorValueFromMemory(Enumerable.Range(0, 3 * 16 * 16).Select(i => i % 7 / 7f).ToArray(), [1, 3, 16, 16]);
            using var output = session.Run(new RunOptions(), [input.Key], [pixels], session.OutputNames);
            var probabilities = output[0].GetTensorDataAsSpan<float>().ToArray();
            Assert.Equal(classes, probabilities.Length);
            Assert.Equal(1, probabilities.Sum(), 4);

            // Under a limit of 200,000 parameters the backbone (2.2 M) is never trained: the search's own networks take its place.
            Assert.Equal("completed", (await api.WaitForSearchEndAsync(limited)).GetProperty("status").GetString());
            var limitedTrials = (await api.GetJsonAsync($"/api/v1/searches/{limited}/trials")).EnumerateArray().ToList();
            Assert.Equal(3, limitedTrials.Count);
            Assert.All(limitedTrials, t => Assert.True(t.GetProperty("params").GetInt64() <= 200_000));
        }
        finally
        {
            await api.DeleteAsync("/api/v1/backbones/mobilenet_v2");
        }
    }
}
