using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace AutoMLStudio.Bench;

/// <summary>
/// The studio's Web project as a child process, started the way an operator starts it (its build output, a data
/// folder, a bootstrap API key), with an <see cref="HttpClient"/> that carries the key. Its output goes to a log file.
/// </summary>
public sealed class StudioProcess : IDisposable
{
    private readonly Process _process;

    private StudioProcess(Process process, HttpClient api, string logPath)
    {
        _process = process;
        Api = api;
        LogPath = logPath;
    }

    public HttpClient Api { get; }
    public string LogPath { get; }

    public static async Task<StudioProcess> StartAsync(string dataDir)
    {
        var port = FreePort();
        var key = "ams_bench_" + Guid.NewGuid().ToString("N");
        var dll = FindWebDll();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll, "--urls", $"http://127.0.0.1:{port}" },
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Studio__DataDir"] = dataDir;
        start.Environment["Studio__Bootstrap__ApiKey"] = key;
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var logPath = Path.Combine(dataDir + "-server.log");
        var log = new StreamWriter(logPath) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (log) log.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(10) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var studio = new StudioProcess(process, api, logPath);
        for (var waited = 0; waited < 240; waited++)
        {
            if (process.HasExited) throw new InvalidOperationException($"The studio exited with code {process.ExitCode}; see {logPath}.");
            try
            {
                if ((await api.GetAsync("/health")).StatusCode == HttpStatusCode.OK) return studio;
            }
            catch (HttpRequestException) { }
            await Task.Delay(500);
        }
        studio.Dispose();
        throw new TimeoutException($"The studio was not healthy within 2 minutes; see {logPath}.");
    }

    // The bench project references the Web project (without its assembly) only so that this output exists.
    private static string FindWebDll()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AutoMLStudio.sln"))) dir = dir.Parent;
        var bin = Path.Combine(dir?.FullName ?? throw new InvalidOperationException("Run the bench from the repository's build output."),
            "src", "AutoMLStudio.Web", "bin", "Release");
        return Directory.EnumerateFiles(bin, "AutoMLStudio.Web.dll", SearchOption.AllDirectories).MaxBy(File.GetLastWriteTimeUtc)
               ?? throw new FileNotFoundException($"No AutoMLStudio.Web.dll under {bin}; build the solution in Release first.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        Api.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(20_000);
        }
        _process.Dispose();
    }
}
