using System.Collections.Concurrent;
using System.Text;
using AutoMLStudio.Core.Data;
using AutoMLStudio.Core.Registry;
using AutoMLStudio.Core.Storage;
using AutoMLStudio.Engine.Onnx;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AutoMLStudio.Core.Hosting;

/// <summary>
/// The predictors of the endpoints this process serves, loaded on first use and kept. A swap loads the new version
/// first and only then takes the old one out of service; requests already running on the old one finish on it, and
/// it is disposed when the last of them is done, so no request fails during a swap.
/// </summary>
public sealed class HostedModels(IServiceScopeFactory scopes, IArtifactStore store, IOptions<HostingOptions> options, ILogger<HostedModels> logger)
    : IDisposable
{
    private readonly ConcurrentDictionary<Guid, Lazy<Task<HostedPredictor>>> _endpoints = new();

    /// <summary>The endpoint's predictor, held until the lease is disposed.</summary>
    public async Task<PredictorLease> AcquireAsync(Guid endpointId, CancellationToken ct)
    {
        while (true)
        {
            var loading = _endpoints.GetOrAdd(endpointId, id => new Lazy<Task<HostedPredictor>>(() => LoadEndpointAsync(id)));
            HostedPredictor hosted;
            try
            {
                hosted = await loading.Value.WaitAsync(ct);
            }
            catch (Exception) when (!ct.IsCancellationRequested)
            {
                // A failed load (unknown endpoint, tampered file) is not cached: the next request tries again.
                _endpoints.TryRemove(new KeyValuePair<Guid, Lazy<Task<HostedPredictor>>>(endpointId, loading));
                throw;
            }
            if (hosted.TryEnter()) return new PredictorLease(hosted);
            // Retired between the lookup and now: a swap has already put its successor in place.
        }
    }

    /// <summary>Serves <paramref name="version"/> on the endpoint from now on; throws (and changes nothing) when it cannot be loaded.</summary>
    public void Swap(Guid endpointId, ModelVersion version)
    {
        var next = new HostedPredictor(Load(version), version.Id);
        var replaced = new Lazy<Task<HostedPredictor>>(Task.FromResult(next));
        Lazy<Task<HostedPredictor>>? previous = null;
        _endpoints.AddOrUpdate(endpointId, replaced, (_, old) => { previous = old; return replaced; });
        Retire(previous);
    }

    /// <summary>Stops serving the endpoint; running requests finish first.</summary>
    public void Remove(Guid endpointId)
    {
        if (_endpoints.TryRemove(endpointId, out var removed)) Retire(removed);
    }

    /// <summary>
    /// Loads a version's ONNX graph and preprocessing after checking that they are the files the registry wrote:
    /// their hashes must match those recorded at registration, and the graph must not read tensors from other files.
    /// </summary>
    public ModelPredictor Load(ModelVersion version)
    {
        var folder = store.FullPath(version.ArtifactFolder);
        var onnxPath = Path.Combine(folder, ModelFiles.Onnx);
        if (version.OnnxSha256 is null || !File.Exists(onnxPath))
            throw new UserInputException("Model not deployable",
                $"Version {version.Version} has no ONNX graph (it was registered before the studio exported ONNX). Register the trial again to deploy it.", 409);
        var onnx = File.ReadAllBytes(onnxPath);
        CheckHash(onnx, version.OnnxSha256, version, ModelFiles.Onnx);
        if (OnnxExport.ExternalDataTensors(onnx) is { Count: > 0 } external)
            throw Refused(version, $"its graph reads tensors from outside the file ({string.Join(", ", external.Take(3))})");

        string? preprocessing = null;
        if (version.PreprocessingSha256 is { } expected)
        {
            var bytes = File.ReadAllBytes(Path.Combine(folder, ModelFiles.Preprocessing));
            CheckHash(bytes, expected, version, ModelFiles.Preprocessing);
            preprocessing = Encoding.UTF8.GetString(bytes);
        }
        return new ModelPredictor(ModelCard.FromJson(version.CardJson), onnx, preprocessing, options.Value.ThreadsPerPrediction);
    }

    private void CheckHash(byte[] bytes, string expected, ModelVersion version, string file)
    {
        if (!string.Equals(RegisterModel.Sha256(bytes), expected, StringComparison.OrdinalIgnoreCase))
            throw Refused(version, $"{file} is not the file the studio registered (its SHA-256 differs)");
    }

    private UserInputException Refused(ModelVersion version, string why)
    {
        logger.LogWarning("Refused to load model version {VersionId}: {Why}", version.Id, why);
        return new UserInputException("Model file refused", $"Version {version.Version} cannot be served: {why}. Register the trial again.", 409);
    }

    private async Task<HostedPredictor> LoadEndpointAsync(Guid endpointId)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StudioDbContext>();
        var endpoint = await db.Endpoints.AsNoTracking().SingleOrDefaultAsync(e => e.Id == endpointId)
                       ?? throw UserInputException.NotFound("Endpoint", endpointId);
        var version = await db.ModelVersions.AsNoTracking().SingleAsync(v => v.Id == endpoint.ModelVersionId);
        return new HostedPredictor(Load(version), version.Id);
    }

    private static void Retire(Lazy<Task<HostedPredictor>>? hosted)
    {
        // One still loading is retired when it has loaded; requests waiting on it then take its successor.
        if (hosted is { IsValueCreated: true })
            hosted.Value.ContinueWith(t => t.Result.Retire(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
    }

    public void Dispose()
    {
        foreach (var hosted in _endpoints.Values) Retire(hosted);
        _endpoints.Clear();
    }
}

/// <summary>A predictor with a count of the requests using it, disposed once retired and unused.</summary>
public sealed class HostedPredictor(ModelPredictor predictor, Guid versionId)
{
    private readonly Lock _gate = new();
    private int _users;
    private bool _retired;

    public ModelPredictor Predictor { get; } = predictor;
    public Guid VersionId { get; } = versionId;

    public bool TryEnter()
    {
        lock (_gate)
        {
            if (_retired) return false;
            _users++;
            return true;
        }
    }

    public void Exit()
    {
        lock (_gate)
        {
            if (--_users == 0 && _retired) Predictor.Dispose();
        }
    }

    public void Retire()
    {
        lock (_gate)
        {
            _retired = true;
            if (_users == 0) Predictor.Dispose();
        }
    }
}

/// <summary>Use of a hosted predictor for one request.</summary>
public readonly struct PredictorLease(HostedPredictor hosted) : IDisposable
{
    public ModelPredictor Predictor => hosted.Predictor;
    public Guid VersionId => hosted.VersionId;
    public void Dispose() => hosted.Exit();
}
