using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AutoMLStudio.E2E;

/// <summary>
/// The real studio as a child process on a free port with its own data folder, as an operator would run it.
/// Its console output is kept so a failing test can show what the server said.
/// </summary>
public sealed class StudioServer : IAsyncDisposable
{
    public const string AdminEmail = "admin@e2e.local";
    public const string AdminPassword = "E2e-Passw0rd!";

    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private StudioServer(Process process, string baseUrl, int port, string dataDir, string apiKey)
    {
        ApiKey = apiKey;
        _process = process;
        BaseUrl = baseUrl;
        Port = port;
        DataDir = dataDir;
    }

    public string BaseUrl { get; }
    public int Port { get; }
    public string DataDir { get; }
    /// <summary>The bootstrap admin's API key, for tests that prepare data through the REST API.</summary>
    public string ApiKey { get; }

    public string Log
    {
        get { lock (_log) return _log.ToString(); }
    }

    /// <param name="settings">Extra configuration as environment variables (<c>Studio__Database</c> = <c>postgres</c>, ...).</param>
    public static Task<StudioServer> StartAsync(TimeSpan timeout, IReadOnlyDictionary<string, string>? settings = null) =>
        StartAsync(timeout, Path.Combine(Path.GetTempPath(), "amls-e2e-" + Guid.NewGuid().ToString("N")[..10]), FreePort(),
            "ams_e2e_key_" + Guid.NewGuid().ToString("N"), settings);

    /// <summary>The same studio started again after <see cref="KillAsync"/>: same data folder, port, node name and key.</summary>
    public Task<StudioServer> RestartAsync(TimeSpan timeout)
    {
        if (!_process.HasExited) throw new InvalidOperationException("The studio is still running; kill it first.");
        return StartAsync(timeout, DataDir, Port, ApiKey, _settings);
    }

    private IReadOnlyDictionary<string, string>? _settings;

    private static async Task<StudioServer> StartAsync(TimeSpan timeout, string dataDir, int port, string apiKey,
        IReadOnlyDictionary<string, string>? settings)
    {
        var dll = FindWebDll();
        var baseUrl = $"http://127.0.0.1:{port}";
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll, "--urls", baseUrl },
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Studio__DataDir"] = dataDir;
        start.Environment["Studio__Bootstrap__AdminEmail"] = AdminEmail;
        start.Environment["Studio__Bootstrap__AdminPassword"] = AdminPassword;
        start.Environment["Studio__Bootstrap__ApiKey"] = apiKey;
        // Every journey signs in from 127.0.0.1: one address's limit would be shared by the whole suite.
        start.Environment["Studio__SignIn__AttemptsPerAddress"] = "1000";
        // One trial at a time on one torch thread (not the default one trial per core) leaves a core to the browser,
        // keeps epochs long enough to watch, and lets a journey say which trial is running.
        start.Environment["Studio__Training__CpuSlots"] = "1";
        start.Environment["Studio__Training__ThreadsPerTrial"] = "1";
        foreach (var (name, value) in settings ?? new Dictionary<string, string>()) start.Environment[name] = value;

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var server = new StudioServer(process, baseUrl, port, dataDir, apiKey) { _settings = settings };
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"The studio exited with code {process.ExitCode} before it was healthy:\n{server.Log}");
            try
            {
                if ((await http.GetAsync($"{baseUrl}/health")).StatusCode == HttpStatusCode.OK) return server;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(500);
        }
        await server.DisposeAsync();
        throw new TimeoutException($"The studio was not healthy within {timeout}:\n{server.Log}");
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
    }

    /// <summary>The Web project's build output; the E2E project references it so it is built first.</summary>
    private static string FindWebDll()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AutoMLStudio.sln"))) dir = dir.Parent;
        if (dir is null) throw new InvalidOperationException("Cannot find the repository root above " + AppContext.BaseDirectory);
        var bin = Path.Combine(dir.FullName, "src", "AutoMLStudio.Web", "bin");
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        return Directory.EnumerateFiles(Path.Combine(bin, configuration), "AutoMLStudio.Web.dll", SearchOption.AllDirectories)
                   .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}publish{Path.DirectorySeparatorChar}"))
                   .OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault()
               ?? throw new FileNotFoundException($"AutoMLStudio.Web.dll not found under {bin}/{configuration}; build the solution first.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// SIGKILL on the process serving the studio (<c>dotnet app.dll</c> runs the app in the host process itself, so
    /// there is no wrapper): no shutdown hooks, no flushing, as in a power cut or an OOM kill. The data folder stays.
    /// </summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
        // The output readers finish once the pipes close, so the log is complete from here on.
        _process.WaitForExit();
    }

    public int ProcessId => _process.Id;

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
            }
        }
        catch (InvalidOperationException) { }
        catch (TimeoutException) { }
        _process.Dispose();
        try { Directory.Delete(DataDir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
